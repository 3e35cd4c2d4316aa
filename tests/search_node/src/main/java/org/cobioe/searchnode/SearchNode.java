package org.cobioe.searchnode;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.join.ParentJoinPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.percolator.PercolatorPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single OpenSearch node started in-process, for tests.
 *
 * <p>The modules a distribution would load from its {@code modules/} folder are passed to
 * the node as plugin classes instead (they are on the class path, from Maven Central), so no
 * plugin folder, no jar-hell check, no bootstrap checks and no security manager are involved.
 *
 * <p>Usage: {@code java -jar target/search-node.jar [HTTP_PORT [TRANSPORT_PORT [HOME_DIR]]]}.
 * Defaults: 9201, HTTP_PORT + 100, a fresh temporary folder (removed on exit). The same values
 * can come from the environment: SEARCH_NODE_PORT, SEARCH_NODE_TRANSPORT_PORT, SEARCH_NODE_HOME.
 * The node runs until the process gets SIGTERM/SIGINT, then closes cleanly.
 */
public final class SearchNode {

    /** Plugins loaded from the class path, in the order a distribution would load its modules. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,                 // transport-netty4-client: HTTP + transport
        PainlessPlugin.class,               // lang-painless (analysis-common extends it)
        CommonAnalysisPlugin.class,         // analysis-common: language analysers, ngram, ...
        MapperExtrasPlugin.class,           // mapper-extras-client: scaled_float, rank_feature, ...
        PercolatorPlugin.class,             // percolator-client: percolator field + query
        ParentJoinPlugin.class              // parent-join-client: join field, has_child, ...
    );

    /** Console-only logging; the start script sends the JVM's output to a log file. */
    static final String LOG4J2_PROPERTIES = String.join("\n",
        "status = error",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
        "rootLogger.level = info",
        "rootLogger.appenderRef.console.ref = console",
        "");

    /** Exposes Node's protected constructor that takes plugin classes. */
    static final class PluginNode extends Node {
        PluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    private SearchNode() {}

    private static String arg(String[] args, int i, String env, String dflt) {
        if (args.length > i && !args[i].isEmpty()) {
            return args[i];
        }
        String v = System.getenv(env);
        return (v != null && !v.isEmpty()) ? v : dflt;
    }

    public static void main(String[] args) throws Exception {
        final int httpPort = Integer.parseInt(arg(args, 0, "SEARCH_NODE_PORT", "9201"));
        final int transportPort = Integer.parseInt(
            arg(args, 1, "SEARCH_NODE_TRANSPORT_PORT", Integer.toString(httpPort + 100)));
        final String homeArg = arg(args, 2, "SEARCH_NODE_HOME", null);
        final boolean tempHome = homeArg == null;
        final Path home = tempHome
            ? Files.createTempDirectory("cobioe-search-node-")
            : Files.createDirectories(Path.of(homeArg).toAbsolutePath());
        final String nodeName = "cobioe-node-" + httpPort;

        final Settings settings = Settings.builder()
            .put("cluster.name", "cobioe-test")
            .put("node.name", nodeName)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .put("discovery.type", "single-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .put("logger.level", System.getProperty("searchnode.log.level", "INFO"))
            .build();

        // Registered first, so that a SIGTERM or a failure at any point still closes the node
        // (if there is one yet) and removes the temporary home.
        final AtomicReference<Node> nodeRef = new AtomicReference<>();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                final Node node = nodeRef.get();
                if (node != null) {
                    node.close();
                    node.awaitClose(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                System.err.println("search-node: error while closing: " + e);
            } finally {
                if (tempHome) {
                    deleteTree(home);
                }
                stopped.countDown();
            }
        }, "search-node-shutdown"));

        try {
            // Logging first, as the distribution does it: a log4j2.properties in path.home/config
            // read by LogConfigurator.configure (log4j-core is declared in the pom). Without it,
            // log4j falls back to its ERROR-only default and the node's INFO lines are lost.
            final Path config = Files.createDirectories(home.resolve("config"));
            Files.writeString(config.resolve("log4j2.properties"), LOG4J2_PROPERTIES);
            final Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Collections.emptyMap(), config, () -> nodeName);
            LogConfigurator.registerErrorListener();
            LogConfigurator.setNodeName(nodeName);
            LogConfigurator.configure(environment);

            final Node node = new PluginNode(environment, PLUGINS);
            nodeRef.set(node);
            node.start();
        } catch (Throwable t) {
            // The node's threads are not daemons: exit explicitly, or the JVM would linger.
            System.err.println("search-node: failed to start: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.out.println("search-node: started " + nodeName + " on http://127.0.0.1:" + httpPort
            + " (transport " + transportPort + ", home " + home + ")");
        System.out.flush();
        stopped.await();
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("search-node: could not remove " + root + ": " + e);
        }
    }
}
