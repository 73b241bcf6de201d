package io.vhba.emulator.explore;

/** The byte stream between the workload's initiator and the target: in-memory in an exploration, TCP in a stress run. */
interface Wire extends AutoCloseable {

    /** Bytes to the target. */
    void send(byte[] bytes);

    /** The next bytes from the target, waiting for them; null once the target closed the connection. */
    byte[] receive();

    @Override
    void close();
}
