package dev.asynclocks.zookeeper;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JUnit 5 extension that owns every process a test class starts: ZooKeeper servers (each in its
 * own JVM, run from the zookeeper jar on the test class path) and client JVMs. After the class,
 * and in a JVM shutdown hook if the test JVM dies first, it kills every process it started
 * (destroyForcibly) and deletes their data directories.
 *
 * {@snippet :
 * @RegisterExtension
 * static final ZooKeeperProcesses processes = new ZooKeeperProcesses();
 *
 * @Test
 * void something() {
 *     Server server = processes.startServer();
 *     try (ZkLockClient zk = ZkLockClient.connect(server.connectString(), Duration.ofSeconds(2))) { ... }
 * }
 * }
 */
final class ZooKeeperProcesses implements AfterAllCallback {

    /** Server tick: 100 ms, so sessions expire within 100 ms of their timeout. */
    static final int TICK_MILLIS = 100;

    /** Every process started by any instance, for the shutdown hook. */
    private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly)));
    }

    private final List<Process> started = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();

    /** A ZooKeeper server running in its own JVM. */
    record Server(Process process, int clientPort, Path dataDir) {
        String connectString() {
            return "127.0.0.1:" + clientPort;
        }
    }

    /** A client JVM whose stdout lines are queued for the test to read. */
    record ClientJvm(Process process, BlockingQueue<String> lines) {
        /** The next line that starts with {@code prefix}, within the bound; earlier lines are skipped. */
        String awaitLine(String prefix, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String line = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("client JVM did not print '" + prefix + "' within " + limit
                            + " (alive: " + process.isAlive() + ")");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        long pid() {
            return process.pid();
        }
    }

    /** Starts a standalone server on 127.0.0.1 and a free port; returns once it answers {@code ruok}. */
    synchronized Server startServer() throws IOException {
        int port = freePort();
        Path dir = Files.createTempDirectory("asynclocks-zk-");
        dataDirs.add(dir);
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "tickTime=" + TICK_MILLIS,
                "minSessionTimeout=" + 2 * TICK_MILLIS,
                "maxSessionTimeout=60000",
                "dataDir=" + dir.resolve("data"),
                "clientPort=" + port,
                "clientPortAddress=127.0.0.1",
                "admin.enableServer=false",
                "maxClientCnxns=0",
                "forceSync=no",
                "4lw.commands.whitelist=ruok,srvr",
                "standaloneEnabled=true",
                "") );
        Process p = startJava(dir.resolve("server.log"), "org.apache.zookeeper.server.ZooKeeperServerMain", cfg.toString());
        Server server = new Server(p, port, dir);
        awaitServing(server);
        return server;
    }

    /** A quorum of servers, each in its own JVM. */
    record Ensemble(List<Server> servers) {
        String connectString() {
            return String.join(",", servers.stream().map(Server::connectString).toList());
        }

        /** The live server that reports {@code Mode: leader}, waiting (bounded) for an election to end. */
        Server awaitLeader() {
            Server[] leader = new Server[1];
            Await.until("a leader is elected", () -> {
                for (Server s : servers) {
                    if (s.process().isAlive()) {
                        String srvr = fourLetter(s.clientPort(), "srvr");
                        if (srvr != null && srvr.contains("Mode: leader")) {
                            leader[0] = s;
                            return true;
                        }
                    }
                }
                return false;
            });
            return leader[0];
        }
    }

    /** Starts a quorum of {@code size} servers on 127.0.0.1, each in its own JVM; returns once one leads and all serve. */
    synchronized Ensemble startEnsemble(int size) throws IOException {
        int[] client = new int[size];
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < size; i++) {
            client[i] = freePort();
            peers.append("server.").append(i + 1).append("=127.0.0.1:").append(freePort()).append(':').append(freePort()).append('\n');
        }
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Path dir = Files.createTempDirectory("asynclocks-zk-" + (i + 1) + "-");
            dataDirs.add(dir);
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("data").resolve("myid"), Integer.toString(i + 1));
            Path cfg = dir.resolve("zoo.cfg");
            Files.writeString(cfg, String.join("\n",
                    "tickTime=" + TICK_MILLIS,
                    "initLimit=100",
                    "syncLimit=20",
                    "minSessionTimeout=" + 2 * TICK_MILLIS,
                    "maxSessionTimeout=60000",
                    "dataDir=" + dir.resolve("data"),
                    "clientPort=" + client[i],
                    "clientPortAddress=127.0.0.1",
                    "admin.enableServer=false",
                    "maxClientCnxns=0",
                "forceSync=no",
                    "4lw.commands.whitelist=ruok,srvr",
                    "") + peers);
            Process p = startJava(dir.resolve("server.log"), "org.apache.zookeeper.server.quorum.QuorumPeerMain", cfg.toString());
            servers.add(new Server(p, client[i], dir));
        }
        Ensemble ensemble = new Ensemble(List.copyOf(servers));
        for (Server s : servers) {
            awaitServing(s);
        }
        ensemble.awaitLeader();
        return ensemble;
    }

    /** Starts {@code mainClass} from the test class path in a JVM of its own; its stdout is queued. */
    synchronized ClientJvm startClient(Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        register(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process died
            }
        });
        return new ClientJvm(p, lines);
    }

    /** kill -9. */
    void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + p.pid() + " did not die");
        }
    }

    /** Sends a signal by name (STOP, CONT) with the system's kill command. */
    static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + p.pid() + " failed");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stopAll();
    }

    /** Kills every process this instance started and deletes their data directories. */
    synchronized void stopAll() throws Exception {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            p.waitFor(30, TimeUnit.SECONDS);
            ALL.remove(p);
        }
        started.clear();
        for (Path dir : dataDirs) {
            deleteTree(dir);
        }
        dataDirs.clear();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Process startJava(Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-Dzookeeper.jmx.log4j.disable=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        register(p);
        return p;
    }

    private void register(Process p) {
        started.add(p);
        ALL.add(p);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Polls {@code ruok} until the server answers {@code imok}, within {@link Await#LIMIT}. */
    static void awaitServing(Server server) {
        Await.until("ZooKeeper on port " + server.clientPort() + " answers ruok (log: "
                + server.dataDir().resolve("server.log") + ")", () -> {
            if (!server.process().isAlive()) {
                throw new AssertionError("ZooKeeper server exited with " + server.process().exitValue()
                        + "; log: " + server.dataDir().resolve("server.log"));
            }
            return "imok".equals(fourLetter(server.clientPort(), "ruok"));
        });
    }

    static String fourLetter(int port, String command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            s.setSoTimeout(2_000);
            s.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
