package dev.strata.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Administers the PostgreSQL server that tests and the local run use: starts a local cluster when none answers
 * (where {@code pg_ctlcluster} exists), creates and drops databases.
 */
public final class Postgres {

    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    public Postgres(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** From STRATA_PG_HOST, STRATA_PG_PORT, STRATA_PG_USER, STRATA_PG_PASSWORD; defaults to the local cluster. */
    public static Postgres fromEnvironment() {
        return new Postgres(
                env("STRATA_PG_HOST", "127.0.0.1"),
                Integer.parseInt(env("STRATA_PG_PORT", "5432")),
                env("STRATA_PG_USER", "postgres"),
                env("STRATA_PG_PASSWORD", ""));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Makes sure the server answers, starting the local Debian cluster if that is possible. */
    public Postgres ensureRunning() {
        if (answers()) {
            return this;
        }
        boolean local = host.equals("127.0.0.1") || host.equals("localhost");
        if (local && Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))) {
            localCluster("start");
            if (awaitAnswer(Duration.ofSeconds(30))) {
                return this;
            }
        }
        throw new IllegalStateException("No PostgreSQL answers at " + host + ":" + port + " as user " + user
                + ". Start one, or point STRATA_PG_HOST/STRATA_PG_PORT/STRATA_PG_USER/STRATA_PG_PASSWORD at one.");
    }

    /**
     * Restarts the local cluster ({@code pg_ctlcluster ... restart}: every connection is cut, as in a failover or
     * an upgrade) and waits until it answers again; for the fault suite. Only for a PostgreSQL on this machine.
     */
    public void restartLocalCluster() {
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new IllegalStateException("PostgreSQL at " + host + " is not this machine's: cannot restart it");
        }
        localCluster("restart");
        if (!awaitAnswer(Duration.ofSeconds(60))) {
            throw new IllegalStateException("PostgreSQL did not answer within 60 s of its restart");
        }
    }

    private boolean awaitAnswer(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return true;
            }
            JavaProcess.sleep(250);
        }
        return false;
    }

    private void localCluster(String action) {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            for (Path version : versions.toList()) {
                Process run = new ProcessBuilder(
                                "pg_ctlcluster",
                                "--skip-systemctl-redirect",
                                version.getFileName().toString(),
                                "main",
                                action)
                        .inheritIO()
                        .start();
                run.waitFor();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot " + action + " the local PostgreSQL cluster: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean answers() {
        try (Connection ignored = connect("postgres")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL the Vert.x reactive client takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public void createDatabaseIfMissing(String name) {
        requireSafe(name);
        try (Connection admin = connect("postgres");
                PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = admin.createStatement()) {
                create.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    /** A new, empty database named {@code prefix_<random>}; the caller drops it when done. */
    public String createFreshDatabase(String prefix) {
        String name =
                (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase();
        createDatabaseIfMissing(name);
        return name;
    }

    public void dropDatabase(String name) {
        requireSafe(name);
        try (Connection admin = connect("postgres");
                Statement drop = admin.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }

    private static void requireSafe(String name) {
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
    }
}
