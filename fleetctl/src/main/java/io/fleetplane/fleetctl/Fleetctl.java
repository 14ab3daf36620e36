package io.fleetplane.fleetctl;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The command line's entry point: {@code fleetctl [--bootstrap HOST:PORT] <command> [options]}, on
 * picocli. Exit codes: 0 done, 1 Kafka failed or a wait ran out, 2 a command line that cannot be
 * carried out (said in one line, with a hint; never a stack trace).
 */
@Command(
    name = "fleetctl",
    description = {
      "Publishes tenant requests to fleet.tenant-requests and follows fleet.tenant-events;"
          + " runs the demo, or a simulated fleet against a scheduler's Kafka."
    },
    synopsisSubcommandLabel = "<command>",
    subcommands = {
      RequestCommands.Create.class,
      RequestCommands.Resize.class,
      RequestCommands.Delete.class,
      TailCommand.class,
      Demo.class,
      FleetCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    commandListHeading = "%nCommands (fleetctl <command> --help explains each):%n",
    footerHeading = "%n",
    footer = {
      "Requests get a fresh UUID as requestId unless --request-id is given; publishing the same"
          + " requestId again has no second effect.",
      "Exit codes: 0 done, 1 Kafka failed or --for ran out, 2 bad command line."
    })
public final class Fleetctl implements Callable<Integer> {

  static final String BOOTSTRAP_ENV = "FLEET_KAFKA_BOOTSTRAP";
  static final String DEFAULT_BOOTSTRAP = "localhost:9092";
  static final String KAFKA_CONFIG_ENV = "FLEET_KAFKA_CONFIG";

  /** Every command by name, as an unknown one's message lists them. */
  static final String COMMANDS = "create, resize, delete, tail, demo, fleet, completion and help";

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description =
          "Kafka's bootstrap servers (default: $"
              + BOOTSTRAP_ENV
              + ", else "
              + DEFAULT_BOOTSTRAP
              + ").")
  private String bootstrapOption;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "A properties file of Kafka client settings (security.protocol, sasl.*, ssl.*) for every"
              + " client fleetctl starts (default: $"
              + KAFKA_CONFIG_ENV
              + ").")
  private String kafkaConfigOption;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show the commands and exit.")
  private boolean help;

  private final Map<String, String> env;
  final Publisher publisher;
  final PrintStream out;
  final PrintStream err;

  private Fleetctl(Map<String, String> env, Publisher publisher, PrintStream out, PrintStream err) {
    this.env = env;
    this.publisher = publisher;
    this.out = out;
    this.err = err;
  }

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
    return commandLine(new Fleetctl(env, publisher, out, err)).execute(args);
  }

  /** The root command with its settings parsed from {@code args}, for tests. */
  static Fleetctl parse(List<String> args, Map<String, String> env) {
    Fleetctl root = new Fleetctl(env, Publish::toKafka, System.out, System.err);
    commandLine(root).parseArgs(args.toArray(String[]::new));
    return root;
  }

  static CommandLine commandLine(Fleetctl root) {
    CommandLine cmd = new CommandLine(root);
    cmd.getSubcommands()
        .get("create")
        .getCommandSpec()
        .usageMessage()
        .footerHeading("%n")
        .footer(
            "Plans: "
                + String.join(
                    ", ", io.fleetplane.events.plan.PlanCatalogue.defaults().plans().keySet())
                + ".");
    cmd.setOut(new PrintWriter(root.out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(root.err, true, StandardCharsets.UTF_8));
    cmd.setParameterExceptionHandler((e, args) -> root.refuse(e));
    cmd.setExecutionExceptionHandler(
        (e, where, parsed) -> {
          if (e instanceof BadInput b) {
            return root.refuse(b.getMessage(), b.hint() != null ? b.hint() : hint(where));
          }
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return 1;
          }
          root.err.println("fleetctl: " + KafkaClients.innermostMessage(e));
          return 1;
        });
    return cmd;
  }

  /** Only options, no command. */
  @Override
  public Integer call() {
    throw new BadInput("no command given", hint(null));
  }

  /**
   * Reads the settings every command shares: where Kafka is and how to talk to it. Called by each
   * command before its own work.
   */
  void prepare() {
    bootstrap();
    KafkaClients.use(kafkaConfig());
  }

  /** --bootstrap, else $FLEET_KAFKA_BOOTSTRAP, else localhost:9092. */
  String bootstrap() {
    if (bootstrapOption != null) {
      return checkBootstrap(bootstrapOption);
    }
    String fromEnv = env.get(BOOTSTRAP_ENV);
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_BOOTSTRAP : fromEnv.trim();
  }

  /** The client settings in --kafka-config or $FLEET_KAFKA_CONFIG (Kafka's own names), or none. */
  Properties kafkaConfig() {
    String file = kafkaConfigOption != null ? kafkaConfigOption : env.get(KAFKA_CONFIG_ENV);
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
            "--bootstrap must be HOST:PORT[,HOST:PORT...], got '" + servers + "'", hint(null));
      }
    }
    return servers;
  }

  // ---- how mistakes are told -----------------------------------------------------------------

  /** What picocli could not parse, in fleetctl's words: one line, then a hint. Exit 2. */
  private int refuse(ParameterException e) {
    CommandLine where = e.getCommandLine();
    boolean top = where.getParent() == null;
    String name = where.getCommandName();
    String message;
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      if (first.startsWith("-") && first.length() > 1 && !isNumber(first)) {
        String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        message =
            top
                ? "unknown option '"
                    + option
                    + "' (before the command only --bootstrap and --kafka-config are known)"
                : "unknown option '" + option + "' for " + name;
      } else {
        message =
            top
                ? "unknown command '" + first + "': the commands are " + COMMANDS
                : "unexpected argument '" + first + "'";
      }
    } else if (e instanceof CommandLine.OverwrittenOptionException o) {
      message = nameOf(o.getOverwritten()) + " is given twice";
    } else if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
      ArgSpec missing = m.getMissing().get(0);
      if (!missing.isOption()) {
        message =
            name
                + " needs "
                + ("<tenant>".equals(missing.paramLabel()) ? "a tenant id" : missing.paramLabel());
      } else if (m.getMessage().startsWith("Missing required option")) {
        message = nameOf(missing) + ": is required";
      } else {
        message = nameOf(missing) + " needs a value, " + missing.paramLabel();
      }
    } else {
      message = e.getMessage();
    }
    return refuse(message, hint(where));
  }

  private int refuse(String message, String hint) {
    err.println("fleetctl: " + message);
    err.println(hint);
    return 2;
  }

  private static String nameOf(ArgSpec a) {
    return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
  }

  private static boolean isNumber(String s) {
    return s.matches("-\\d+(\\.\\d+)?");
  }

  /**
   * The line under a mistake: the command's synopsis on one line and where its help is; for the
   * root, where the commands are listed.
   */
  static String hint(CommandLine where) {
    if (where == null || where.getParent() == null) {
      return "run 'fleetctl --help' for the commands and their options";
    }
    CommandLine.Help help =
        new CommandLine.Help(
            where.getCommandSpec(), CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    String synopsis = help.synopsis(0).lines().map(String::strip).collect(Collectors.joining(" "));
    return "usage: "
        + synopsis
        + "; 'fleetctl "
        + where.getCommandName()
        + " --help' explains each option";
  }
}
