package io.vhba.emulator.iscsi.login;

/**
 * Implemented by the caller: the sequence numbers of the Login Responses of one connection (RFC 7143
 * §11.13.4). StatSN belongs to the connection, ExpCmdSN and MaxCmdSN to the session.
 */
public interface LoginSequenceNumbers {

    /** The StatSN of the next response; each call consumes one number. */
    int nextStatSN();

    /** The ExpCmdSN to report, given the CmdSN of the Login Requests. */
    int expCmdSN(int loginCmdSN);

    /** The MaxCmdSN to report, given the CmdSN of the Login Requests. */
    int maxCmdSN(int loginCmdSN);

    /**
     * The numbers of a leading login, where the session starts with the login: StatSN counts up from
     * {@code firstStatSN}; a login is an immediate command, so the first non-immediate command will
     * carry the login's CmdSN, which is therefore ExpCmdSN, and MaxCmdSN opens a window of
     * {@code commandWindow} commands.
     */
    static LoginSequenceNumbers leading(int firstStatSN, int commandWindow) {
        if (commandWindow < 1) {
            throw new IllegalArgumentException("the command window must hold at least one command");
        }
        return new LoginSequenceNumbers() {
            private int statSN = firstStatSN;

            @Override
            public int nextStatSN() {
                return statSN++;
            }

            @Override
            public int expCmdSN(int loginCmdSN) {
                return loginCmdSN;
            }

            @Override
            public int maxCmdSN(int loginCmdSN) {
                return loginCmdSN + commandWindow - 1;
            }
        };
    }
}
