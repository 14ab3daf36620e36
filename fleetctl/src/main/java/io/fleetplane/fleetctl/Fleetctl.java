package io.fleetplane.fleetctl;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.utils.Utils;

/**
 * The command line's entry point: {@code fleetctl [--bootstrap HOST:PORT] <command> [options]}.
 * Exit codes: 0 done, 1 Kafka failed or a wait ran out, 2 a command line that cannot be carried out
 * (said in one line, with a hint; never a stack trace).
 */
public final class Fleetctl {

  private Fleetctl() {}

  static final String BOOTSTRAP_ENV = "FLEET_KAFKA_BOOTSTRAP";
  static final String DEFAULT_BOOTSTRAP = "localhost:9092";
  static final String KAFKA_CONFIG_ENV = "FLEET_KAFKA_CONFIG";

  public static void main(String[] args) {
    // JBoss LogManager (from the agent's jars) complains on stderr, once JMX asks for a logger,
    // unless it is the JDK's log manager too. Unconfigured it prints nothing, which suits a command
    // line: Kafka's logs are not for the person at the terminal, fleetctl says what went wrong.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), Publish::toKafka, out, err);
  }

  /** With the environment and the way out to Kafka handed in, for tests. */
  static int run(
      String[] args,
      Map<String, String> env,
      Publisher publisher,
      PrintStream out,
      PrintStream err) {
    try {
      CommandLine line = CommandLine.parse(List.of(args), env);
      if (line.command() == null) {
        out.println(Usage.text());
        return 0;
      }
      KafkaClients.use(line.kafkaConfig());
      return dispatch(line, publisher, out, err);
    } catch (BadInput e) {
      err.println("fleetctl: " + e.getMessage());
      err.println(e.hint());
      return 2;
    }
  }

  private static int dispatch(
      CommandLine line, Publisher publisher, PrintStream out, PrintStream err) {
    List<String> rest = line.rest();
    String bootstrap = line.bootstrap();
    if (rest.contains("--help") || rest.contains("-h")) {
      out.println(Usage.text());
      return 0;
    }
    return switch (line.command()) {
      case "help" -> {
        out.println(Usage.text());
        yield 0;
      }
      case "create" -> publisher.publish(bootstrap, RequestArgs.create(rest), out, err);
      case "resize" -> publisher.publish(bootstrap, RequestArgs.resize(rest), out, err);
      case "delete" -> publisher.publish(bootstrap, RequestArgs.delete(rest), out, err);
      case "tail" -> Tail.run(TailOptions.parse(rest), bootstrap, out, err);
      case "demo" -> interruptible(() -> Demo.run(rest, out, err), err);
      case "fleet" -> interruptible(() -> FleetCommand.run(bootstrap, rest, out, err), err);
      default ->
          throw new BadInput(
              "unknown command '"
                  + line.command()
                  + "': the commands are create, resize, delete, tail, demo, fleet and help",
              Usage.hint());
    };
  }

  /** A long-running command: it says what failed in one line, and Ctrl-C ends it. */
  private interface LongRunning {
    int run() throws Exception;
  }

  private static int interruptible(LongRunning command, PrintStream err) {
    try {
      return command.run();
    } catch (BadInput e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (Exception e) {
      err.println("fleetctl: " + KafkaClients.innermostMessage(e));
      return 1;
    }
  }

  /**
   * The global options and the command.
   *
   * @param command null when only help was asked for
   * @param rest the command's own arguments
   */
  record CommandLine(String bootstrap, Properties kafkaConfig, String command, List<String> rest) {

    private static final String BOOTSTRAP_EQ = "--bootstrap=";
    private static final String CONFIG_EQ = "--kafka-config=";

    static CommandLine parse(List<String> args, Map<String, String> env) {
      String bootstrap = null;
      String config = env.get(KAFKA_CONFIG_ENV);
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("--help") || a.equals("-h")) {
          return new CommandLine(null, new Properties(), null, List.of());
        } else if (a.startsWith(CONFIG_EQ)) {
          config = a.substring(CONFIG_EQ.length());
        } else if (a.equals("--kafka-config")) {
          if (i + 1 == args.size()) {
            throw new BadInput("--kafka-config needs a value, a properties file", Usage.hint());
          }
          config = args.get(++i);
        } else if (a.startsWith(BOOTSTRAP_EQ)) {
          bootstrap = checkBootstrap(a.substring(BOOTSTRAP_EQ.length()));
        } else if (a.equals("--bootstrap")) {
          if (i + 1 == args.size()) {
            throw new BadInput("--bootstrap needs a value, HOST:PORT", Usage.hint());
          }
          bootstrap = checkBootstrap(args.get(++i));
        } else if (a.startsWith("-")) {
          throw new BadInput(
              "unknown option '"
                  + a
                  + "' (before the command only --bootstrap and --kafka-config are known)",
              Usage.hint());
        } else {
          if (bootstrap == null) {
            String fromEnv = env.get(BOOTSTRAP_ENV);
            bootstrap = fromEnv == null || fromEnv.isBlank() ? DEFAULT_BOOTSTRAP : fromEnv.trim();
          }
          return new CommandLine(
              bootstrap, load(config), a, List.copyOf(args.subList(i + 1, args.size())));
        }
      }
      throw new BadInput("no command given", Usage.hint());
    }

    /** The client settings in {@code file} (Kafka's own property names), or none. */
    private static Properties load(String file) {
      Properties p = new Properties();
      if (file == null || file.isBlank()) {
        return p;
      }
      try (Reader r = Files.newBufferedReader(Path.of(file.trim()))) {
        p.load(r);
      } catch (IOException | RuntimeException e) {
        throw new BadInput(
            "--kafka-config: cannot read '" + file + "' (" + e.getMessage() + ")",
            "give a properties file of Kafka client settings, e.g. security.protocol=SASL_SSL");
      }
      p.remove("bootstrap.servers"); // --bootstrap says where
      return p;
    }

    /** Kafka's own reading of bootstrap.servers, so that what passes here the client accepts. */
    private static String checkBootstrap(String servers) {
      for (String s : servers.split(",", -1)) {
        if (Utils.getHost(s.trim()) == null || Utils.getPort(s.trim()) == null) {
          throw new BadInput(
              "--bootstrap must be HOST:PORT[,HOST:PORT...], got '" + servers + "'", Usage.hint());
        }
      }
      return servers;
    }
  }
}
