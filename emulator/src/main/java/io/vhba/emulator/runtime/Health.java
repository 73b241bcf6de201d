package io.vhba.emulator.runtime;

/**
 * Whether the emulator can serve I/O: up only while every adapter is running. Down names each adapter that is not,
 * and for one a bug check stopped, the bug check: {@code adapter mailbox0 stopped by bug check 0xF1/0x2004
 * DOUBLE_COMPLETION}.
 *
 * @param reason null when up
 */
public record Health(boolean up, String reason) {}
