package io.vhba.junit;

/**
 * One LUN the builder was given, in the words of the configuration file's {@code luns} entries
 * (README, "A configuration file"): the LUN number, its capacity ({@code 64M}), its logical block
 * length (512 or 4096) and whether it is write-protected.
 */
record LunSpec(int lun, String size, int blockSize, boolean readOnly) {}
