package io.vhba.emulator.record;

/**
 * One input of a recorded deterministic run: what came into the simulation from outside, at a scheduling point. The
 * step and virtual time are in the {@link RecordEntry}. What the target sent is not recorded (it is traced).
 */
public sealed interface RecordedInput {

    /** A connection was accepted; its id is its place in the order of connections ({@code id mod N} is its processor). */
    record Open(int connection, String local, String remote) implements RecordedInput {}

    /** The bytes of one socket read burst on a connection. */
    record Data(int connection, byte[] bytes) implements RecordedInput {}

    /** The initiator closed the connection (or it broke). */
    record Close(int connection) implements RecordedInput {}

    /** A change made through the API while the run went on, e.g. {@code fault-inject} with the fault's spec. */
    record Control(String kind, String argument) implements RecordedInput {}

    /** The run ended here: the closer took over at this step. The summary is what a replay must reproduce. */
    record End(RunSummary summary) implements RecordedInput {}
}
