package io.vhba.miniport;

/**
 * The opaque work item of {@code StorPortInitializeWorker} ({@code PVOID Worker}): allocated
 * by the miniport, bound by the port, queued with {@code StorPortQueueWorkItem}, released
 * with {@code StorPortFreeWorker}.
 */
public final class StorWorker extends PortReserved {}
