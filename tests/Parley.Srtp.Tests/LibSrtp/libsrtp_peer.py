"""libsrtp 2 (Debian's libsrtp2 through python3-pylibsrtp) as the independent SRTP peer of Parley's tests.

Run with /usr/bin/python3. Reads one JSON request on stdin:

    {"profile": "AES128_CM_SHA1_80" | "AES128_CM_SHA1_32" | "AEAD_AES_128_GCM",
     "key": "<hex: master key then master salt>",
     "encrypt_rtcp": true,
     "operations": [["protect" | "unprotect" | "protect_rtcp" | "unprotect_rtcp", "<hex packet>"], ...]}

and writes one JSON answer on stdout, a result per operation in order:

    {"results": [["ok", "<hex packet>"] | ["error", "<libsrtp's reason>"], ...]}

Protect operations run on an outbound session, unprotect operations on an inbound one, both keyed alike and
accepting any SSRC, so the answers of each direction depend only on the packets that went before in that direction.
"""

import json
import sys

from pylibsrtp import Error, Policy, Session
from pylibsrtp._binding import ffi

PROFILES = {
    "AES128_CM_SHA1_80": Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "AES128_CM_SHA1_32": Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
    "AEAD_AES_128_GCM": Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
}

# libsrtp 2's srtp_sec_serv_t.
SEC_SERV_AUTH = 2
SEC_SERV_CONF_AND_AUTH = 3


def authenticate_rtcp_only(policy):
    """Turns SRTCP encryption off (E flag 0), which pylibsrtp does not expose.

    srtp_policy_t starts with srtp_ssrc_t (type, value) and then the rtp and rtcp srtp_crypto_policy_t, each six
    ints ending with sec_serv, so the rtp and rtcp sec_serv are ints 7 and 13. The layout is checked first.
    """
    fields = ffi.cast("int *", policy._policy)
    if fields[0] != policy.ssrc_type or fields[7] != SEC_SERV_CONF_AND_AUTH or fields[13] != SEC_SERV_CONF_AND_AUTH:
        raise SystemExit("unexpected srtp_policy_t layout: cannot turn SRTCP encryption off")
    fields[13] = SEC_SERV_AUTH


def session(profile, key, ssrc_type, encrypt_rtcp):
    policy = Policy(key=key, ssrc_type=ssrc_type, srtp_profile=profile)
    if not encrypt_rtcp:
        authenticate_rtcp_only(policy)
    return Session(policy)


def main():
    request = json.load(sys.stdin)
    profile = PROFILES[request["profile"]]
    key = bytes.fromhex(request["key"])
    encrypt_rtcp = request.get("encrypt_rtcp", True)
    sender = session(profile, key, Policy.SSRC_ANY_OUTBOUND, encrypt_rtcp)
    receiver = session(profile, key, Policy.SSRC_ANY_INBOUND, encrypt_rtcp)
    operations = {
        "protect": sender.protect,
        "protect_rtcp": sender.protect_rtcp,
        "unprotect": receiver.unprotect,
        "unprotect_rtcp": receiver.unprotect_rtcp,
    }

    results = []
    for name, packet in request["operations"]:
        try:
            results.append(["ok", bytes(operations[name](bytes.fromhex(packet))).hex()])
        except Error as error:
            results.append(["error", str(error)])
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
