/** SCSI constants and sense helpers shared by miniports, controllers and the device model (SAM-5, SPC-4, SBC-4). */
package io.vhba.miniport.scsi;
