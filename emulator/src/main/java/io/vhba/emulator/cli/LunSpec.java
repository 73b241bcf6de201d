package io.vhba.emulator.cli;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.LunConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of {@code serve --lun}: {@code N[,key[=value]]...}, one LUN of the target. Keys:
 * {@code size=SIZE}, {@code block-size=512|4096}, {@code physical-block-size=BYTES} (512e/4Kn), {@code read-only}, {@code removable},
 * {@code thick} (no thin provisioning), {@code file=PATH}, {@code overwrite-rate=SIZE} (per second, SANITIZE
 * OVERWRITE's pace). Each key at most once.
 */
public final class LunSpec {
    public static final String GRAMMAR = "N[,size=SIZE][,block-size=512|4096][,physical-block-size=BYTES][,read-only][,removable][,thick][,file=PATH][,overwrite-rate=SIZE]";

    /** What each key does to the LUN being built; flags take no value. */
    private enum Key {
        SIZE("size", true, (b, v) -> b.size = v),
        BLOCK_SIZE("block-size", true, (b, v) -> b.blockSize = blockSize(v)),
        PHYSICAL_BLOCK_SIZE("physical-block-size", true, (b, v) -> b.physicalBlockSize = physicalBlockSize(v)),
        READ_ONLY("read-only", false, (b, v) -> b.readOnly = true),
        REMOVABLE("removable", false, (b, v) -> b.removable = true),
        THICK("thick", false, (b, v) -> b.thin = false),
        FILE("file", true, (b, v) -> b.file = v),
        OVERWRITE_RATE("overwrite-rate", true, (b, v) -> b.overwriteRate = v);

        final String name;
        final boolean takesValue;
        final BiConsumer<Builder, String> apply;

        Key(String name, boolean takesValue, BiConsumer<Builder, String> apply) {
            this.name = name;
            this.takesValue = takesValue;
            this.apply = apply;
        }

        static Key of(String name) {
            for (Key k : values()) {
                if (k.name.equals(name)) {
                    return k;
                }
            }
            throw new ConfigException("unknown key '" + name + "' (expected " + GRAMMAR + ")");
        }
    }

    private static final class Builder {
        String size;
        Integer blockSize;
        Integer physicalBlockSize;
        boolean readOnly;
        boolean removable;
        boolean thin = true;
        String file;
        String overwriteRate;
    }

    private LunSpec() {}

    public static LunConfig parse(String spec) {
        String[] parts = spec.split(",", -1);
        int lun;
        try {
            lun = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + parts[0] + "' is not a LUN number (expected " + GRAMMAR + ")");
        }
        Builder b = new Builder();
        Map<Key, String> seen = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            Key key = Key.of(eq < 0 ? part : part.substring(0, eq));
            if (key.takesValue != (eq >= 0) || (eq >= 0 && eq == part.length() - 1)) {
                throw new ConfigException(key.takesValue ? "'" + key.name + "' needs a value: " + key.name + "=..."
                        : "'" + key.name + "' takes no value");
            }
            if (seen.put(key, part) != null) {
                throw new ConfigException("'" + key.name + "' is given twice");
            }
            key.apply.accept(b, eq < 0 ? null : part.substring(eq + 1));
        }
        LunConfig c = new LunConfig(lun, b.size, b.blockSize, b.physicalBlockSize, b.readOnly, b.thin, b.removable, b.file,
                b.overwriteRate);
        // size syntax and block multiple, rate syntax: checked now so the error names the option
        c.sizeBytes("--lun " + lun);
        c.overwriteRateBytes("--lun " + lun);
        return c;
    }

    private static int blockSize(String v) {
        if (!v.equals("512") && !v.equals("4096")) {
            throw new ConfigException("block-size '" + v + "' is not 512 or 4096");
        }
        return Integer.parseInt(v);
    }

    private static int physicalBlockSize(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("physical-block-size '" + v + "' is not a number of bytes");
        }
    }

    static final class Converter implements ITypeConverter<LunConfig> {
        @Override
        public LunConfig convert(String value) {
            try {
                return parse(value);
            } catch (ConfigException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
