package io.vhba.miniport;

/**
 * The driver object the port hands to {@link MiniportDriver#driverEntry}: Windows passes
 * it as {@code Argument1} to {@code StorPortInitialize}.
 *
 * @param driverName the service name of the driver, for logs and bug checks
 */
public record DriverObject(String driverName) {}
