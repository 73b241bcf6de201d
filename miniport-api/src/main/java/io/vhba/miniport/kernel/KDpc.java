package io.vhba.miniport.kernel;

import io.vhba.miniport.PortReserved;

/**
 * {@code KDPC}: storage the driver allocates (usually in its device extension), initialised
 * with {@link KernelServices#initializeDpc}. Its fields are the kernel's.
 */
public final class KDpc extends PortReserved {}
