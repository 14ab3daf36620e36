package io.fleetplane.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseRefsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgres://kine:hunter2@db:5432/acme",
        "postgres://kine%3Ahunter2@db:5432/acme",
        "postgres://kine%3ahunter2@db/acme",
        "postgres://:hunter2@db/acme",
        "postgres://kine:p/ss@db/acme",
        "postgres://kine:p@ss@db/acme",
        "mysql://kine:pw@tcp(db:3306)/acme",
        "postgres://db:5432/acme?password=hunter2",
        "postgres://db:5432/acme?sslmode=require&sslpassword=x",
        "postgres://db:5432/acme?PassWord=x",
        "postgres://db:5432/acme?pass=x",
        "postgres://db:5432/acme?pwd=x",
        "postgres://db:5432/acme?secret=x",
        "postgres://db:5432/acme?token=x",
        "postgres://db:5432/acme?access_token=x",
        "postgres://db:5432/acme?sslkey=/etc/key.pem",
        "postgres://db:5432/acme?ssl-key=/etc/key.pem",
        "postgres://db:5432/acme?%70assword=x",
        "postgres://db:5432/acme;password=x",
        "postgres://db:5432/acme?password",
        "nats://db:4222?auth_token=x",
        "https://db/kine?apiKey=x",
        "https://db/kine?credentials=x"
      })
  void refusesEveryFormOfCredential(String ref) {
    assertThat(DatabaseRefs.problemWithCredential(ref))
        .as(ref)
        .isNotNull()
        .doesNotContain("hunter2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgres://kine@db.acme.example:5432/acme_prod",
        "postgres://db:5432/acme?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/etc/c.pem",
        "mysql://kine@tcp(db:3306)/acme",
        "mysql://db:3306/acme?allowNativePasswords=true&tls=true",
        "nats://db:4222",
        "postgres://db:5432/acme?connect_timeout=10&application_name=kine"
      })
  void acceptsAReferenceThatNamesOnlyAUserAndSettings(String ref) {
    assertThat(DatabaseRefs.problemWithCredential(ref)).as(ref).isNull();
  }
}
