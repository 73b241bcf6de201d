package io.vhba.miniport;

/**
 * {@code STOR_DPC}: allocated by the miniport (usually in its device extension),
 * initialised with {@code StorPortInitializeDpc} during passive initialisation, queued
 * with {@code StorPortIssueDpc}. Its state is the port's.
 */
public final class StorDpc extends PortReserved {}
