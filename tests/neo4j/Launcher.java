// paperkg's Neo4j test server: Neo4j Community (embedded) with a Bolt connector.
//
// Run in Java's source-file mode (no build step):
//   java -Xmx1g -cp "$(cat ~/.cache/paperkg-neo4j/classpath-5.26.30.txt)" \
//        tests/neo4j/Launcher.java --home DIR [--port 0] [--password PW]
//
// Binds 127.0.0.1 only, authentication on, user neo4j with the given password.
// Prints exactly one line "PAPERKG_NEO4J_READY bolt://127.0.0.1:PORT <version>" on stdout
// once Bolt accepts logins, and shuts the database down cleanly on SIGTERM / SIGINT.
// With --exit-on-stdin-eof it also shuts down when its stdin closes (the parent process died).
// The same --home can be reopened after a crash (Neo4j recovers from its transaction log).

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.internal.Version;

public class Launcher {
    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = 0;
        String password = "paperkg-test";
        String pagecache = "256m";
        boolean watchStdin = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--password" -> password = args[++i];
                case "--pagecache" -> pagecache = args[++i];
                case "--exit-on-stdin-eof" -> watchStdin = true;
                default -> {
                    System.err.println("Launcher: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (home == null) {
            System.err.println("Launcher: --home DIR is required");
            System.exit(2);
        }
        Files.createDirectories(home);

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // tests try wrong passwords on purpose; never lock the account for the next test
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(pagecache))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // Bolt waits ~10 s for idle connections on shutdown by default; tests restart servers
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(200))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(200))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "paperkg-neo4j-shutdown"));

        // The built-in user starts with password "neo4j" and must change it; set the test
        // password through the system database (embedded transactions run with full rights).
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $pw CHANGE NOT REQUIRED",
                    java.util.Map.of("pw", password));
        } catch (RuntimeException e) {
            // reopening a home whose password is already this one
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) throw e;
        }

        GraphDatabaseAPI api = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        ConnectorPortRegister ports = api.getDependencyResolver().resolveDependency(ConnectorPortRegister.class);
        var bolt = ports.getLocalAddress(ConnectorType.BOLT);
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        System.out.println("PAPERKG_NEO4J_READY bolt://127.0.0.1:" + bolt.getPort() + " "
                + Version.getNeo4jVersion() + " " + ms + "ms");
        System.out.flush();
        if (watchStdin) {
            // the parent (pytest) holds our stdin open: EOF means it is gone, so do not outlive it
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() != -1) { }
                } catch (java.io.IOException ignored) {
                }
                System.exit(0);  // runs the shutdown hook: a clean database shutdown
            }, "paperkg-neo4j-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    private static long parseBytes(String s) {
        String t = s.trim().toLowerCase();
        long mult = 1;
        if (t.endsWith("g")) mult = 1L << 30;
        else if (t.endsWith("m")) mult = 1L << 20;
        else if (t.endsWith("k")) mult = 1L << 10;
        if (mult != 1) t = t.substring(0, t.length() - 1);
        return Long.parseLong(t) * mult;
    }
}
