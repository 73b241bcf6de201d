package io.vhba.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} or {@link java.net.URI} parameter that {@link VhbaExtension} fills with the iSCSI URL
 * of one LUN of its target, {@code iscsi://127.0.0.1:PORT/IQN/LUN} (libiscsi's form, as {@code serve} prints it).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface VhbaUrl {
    /** The LUN; it must be one the extension was built with. */
    int lun() default 0;
}
