package io.vhba.docker;

import java.nio.file.Files;
import java.nio.file.Path;

/** The files the image is made of, found from the docker module's directory. */
final class ModuleFiles {

    /** Where {@code mvn package} leaves the runnable jar, relative to the repository root (the build context). */
    static final String BUILT_JAR = "emulator/target/vhba.jar";
    /** Where the Dockerfile puts it, and the entry point's default {@code VHBA_JAR}. */
    static final String IMAGE_JAR = "/opt/vhba/vhba.jar";

    private ModuleFiles() {}

    /** Surefire sets {@code basedir} to the module directory; a run from an IDE starts there too. */
    static Path moduleDir() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
            throw new IllegalStateException(dir + " is not the docker module (no Dockerfile): run the tests from docker/");
        }
        return dir;
    }

    static Path repositoryRoot() {
        return moduleDir().getParent();
    }

    static Path dockerfile() {
        return moduleDir().resolve("Dockerfile");
    }

    static Path entrypoint() {
        return existing(moduleDir().resolve("entrypoint.sh"));
    }

    static Path healthcheck() {
        return existing(moduleDir().resolve("healthcheck.sh"));
    }

    /** The build context's ignore file: the context is the repository root. */
    static Path dockerignore() {
        return existing(repositoryRoot().resolve(".dockerignore"));
    }

    static Path composeFile() {
        return existing(moduleDir().resolve("compose.yaml"));
    }

    /** The shaded jar; the reactor packages the emulator before this module's tests run. */
    static Path builtJar() {
        Path jar = repositoryRoot().resolve(BUILT_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(BUILT_JAR + " is missing (" + jar + "): build it first, e.g. "
                    + "`mvn -pl docker -am verify` (packages the emulator before these tests) or `mvn -pl emulator -am package`");
        }
        return jar;
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing");
        }
        return p;
    }
}
