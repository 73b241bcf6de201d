package io.vhba.miniport;

/**
 * {@code GROUP_AFFINITY}: a set of processors within one processor group.
 *
 * @param mask  {@code Mask}: bit n stands for processor n of the group
 * @param group {@code Group}
 */
public record GroupAffinity(long mask, int group) {
}
