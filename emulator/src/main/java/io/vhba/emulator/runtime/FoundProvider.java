package io.vhba.emulator.runtime;

/**
 * A driver or controller model the runtime found, with what it is picked by and where it came from.
 *
 * @param provider the instance ServiceLoader made
 * @param key      a miniport's name, a controller model's hardware ID
 * @param origin   {@code built-in} (the fat jar's class path) or the jar it was loaded from
 */
record FoundProvider<S>(S provider, String key, String origin) {
    static final String BUILT_IN = "built-in";

    /** {@code name (origin)}, for error messages that must say which of two is which. */
    String described() {
        return key + " (" + origin + ")";
    }
}
