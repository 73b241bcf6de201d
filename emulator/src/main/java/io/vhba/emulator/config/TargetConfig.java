package io.vhba.emulator.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One iSCSI target: its name, optional alias and CHAP, its LUNs, and whether each new I_T nexus
 * first sees a power-on/reset unit attention (default true; see ScsiTarget#unitAttentionOnLogin).
 */
public record TargetConfig(String iqn, String alias, ChapConfig chap, List<LunConfig> luns, Boolean unitAttentionOnLogin) {

    public TargetConfig(String iqn, String alias, ChapConfig chap, List<LunConfig> luns) {
        this(iqn, alias, chap, luns, null);
    }

    public TargetConfig {
        luns = luns == null ? List.of(new LunConfig(null, null, null, null, null, null, null, null)) : List.copyOf(luns);
        unitAttentionOnLogin = unitAttentionOnLogin == null || unitAttentionOnLogin;
    }

    void validate(String where) {
        if (iqn == null || !(iqn.startsWith("iqn.") || iqn.startsWith("eui.") || iqn.startsWith("naa."))) {
            throw new ConfigException(where + ".iqn: '" + iqn + "' is not an iSCSI name (iqn., eui. or naa.)");
        }
        if (iqn.length() > 223 || !iqn.equals(iqn.toLowerCase(java.util.Locale.ROOT)) || iqn.contains(" ")) {
            throw new ConfigException(where + ".iqn: '" + iqn + "' must be lower case, without spaces, at most 223 bytes (RFC 3722)");
        }
        if (luns.isEmpty()) {
            throw new ConfigException(where + ": a target needs at least one LUN");
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < luns.size(); i++) {
            LunConfig l = luns.get(i);
            l.validate(where + ".luns[" + i + "]");
            if (!seen.add(l.lun())) {
                throw new ConfigException(where + ".luns[" + i + "]: LUN " + l.lun() + " is defined twice");
            }
        }
        if (chap != null) {
            chap.validate(where + ".chap");
        }
    }
}
