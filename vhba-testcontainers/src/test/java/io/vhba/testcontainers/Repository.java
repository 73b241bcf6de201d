package io.vhba.testcontainers;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout this module sits in: the image's Dockerfile and scripts are in its docker/ directory. */
final class Repository {
    private Repository() {}

    static Path root() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        Path root = module.getParent();
        if (!Files.isRegularFile(root.resolve("docker/Dockerfile"))) {
            throw new IllegalStateException(module + " is not vhba-testcontainers inside the vHBA checkout: run the tests from it");
        }
        return root;
    }

    static Path dockerfile() {
        return root().resolve("docker/Dockerfile");
    }

    static Path entrypoint() {
        return root().resolve("docker/entrypoint.sh");
    }
}
