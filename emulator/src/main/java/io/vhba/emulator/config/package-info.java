/** The emulator's configuration: a YAML/JSON file or the CLI's flags, validated into one model. */
package io.vhba.emulator.config;
