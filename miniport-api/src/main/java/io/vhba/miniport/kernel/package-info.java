/**
 * The kernel routines a driver may call directly (wdm.h): the KDPC layer. Storport virtual
 * miniports may use them; physical miniports use the Storport wrappers instead.
 */
package io.vhba.miniport.kernel;
