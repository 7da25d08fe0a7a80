package dev.asynclocks.zookeeper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the test classes that share one ZooKeeper server, in its own JVM, for the whole class:
 * the extension that owns the process, the server, and an {@link Observer} client that watches
 * the lock paths. A subclass's own {@code @AfterAll} runs before {@link #stopObserver()}.
 *
 * {@snippet :
 * class QueueTest extends OneServerTest {
 *     // server.connectString(), observer.awaitCount(path, 0), processes.startClient(...)
 * }
 * }
 */
abstract class OneServerTest {

    @RegisterExtension
    static final ZooKeeperProcesses processes = new ZooKeeperProcesses();

    static ZooKeeperProcesses.Server server;
    static Observer observer;

    @BeforeAll
    static void startServer() throws Exception {
        server = processes.startServer();
        observer = new Observer(server.connectString());
    }

    @AfterAll
    static void stopObserver() throws Exception {
        observer.close();
    }
}
