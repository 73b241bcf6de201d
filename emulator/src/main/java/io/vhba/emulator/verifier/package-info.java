/**
 * The Storport verifier: checks every port service call and callback return against the
 * rules of STORPORT.md and turns a violation into a structured bug check (0xF1-style code,
 * sub-code, four parameters, rule name, stacks of the threads involved).
 */
package io.vhba.emulator.verifier;
