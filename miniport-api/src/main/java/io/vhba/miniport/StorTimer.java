package io.vhba.miniport;

/**
 * The opaque timer context of {@code StorPortInitializeTimer} ({@code PVOID TimerHandle}):
 * allocated by the miniport, bound by the port, handed to {@code StorPortRequestTimer} and
 * {@code StorPortFreeTimer}. Distinct from the single legacy {@code RequestTimerCall} timer.
 */
public final class StorTimer extends PortReserved {}
