using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Bench.Stun;

/// <summary>Why a datagram did not count as an answer.</summary>
internal enum Fault
{
    /// <summary>Not a well-formed STUN message.</summary>
    Unparsable,

    /// <summary>A STUN message, but not a Binding success response.</summary>
    NotBindingSuccess,

    /// <summary>FINGERPRINT present but wrong.</summary>
    BadFingerprint,

    /// <summary>No readable XOR-MAPPED-ADDRESS.</summary>
    NoXorMappedAddress,

    /// <summary>XOR-MAPPED-ADDRESS is not the client socket's local endpoint.</summary>
    WrongMappedAddress,

    /// <summary>A transaction id the client never sent (or already had an answer for).</summary>
    UnknownTransaction,

    /// <summary>The client could not send (a generator-side failure, not the server's).</summary>
    SendFailed,
}

/// <summary>Builds Binding requests and checks Binding responses with Parley.Stun.</summary>
internal static class StunWire
{
    /// <summary>Room for a Binding request: the 20-byte header and an 8-byte FINGERPRINT.</summary>
    public const int RequestBufferLength = 64;

    /// <summary>Larger than any datagram a STUN server sends over loopback for a Binding.</summary>
    public const int ResponseBufferLength = 2048;

    public static readonly int FaultCount = Enum.GetValues<Fault>().Length;

    /// <summary>Writes a Binding request with FINGERPRINT; returns its length.</summary>
    public static int WriteBindingRequest(Span<byte> buffer, TransactionId transactionId)
    {
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, transactionId);
        builder.AddFingerprint();
        return builder.Length;
    }

    /// <summary>
    /// Checks that a datagram is a Binding success whose XOR-MAPPED-ADDRESS is <paramref name="expectedMapped"/>.
    /// Returns null when it is; otherwise the fault. <paramref name="transactionId"/> is set whenever the datagram is
    /// long enough to carry one, so that the caller can release the request even when the answer is wrong.
    /// </summary>
    public static Fault? CheckBindingResponse(ReadOnlyMemory<byte> datagram, in TransportAddress expectedMapped,
        out TransactionId transactionId, out bool hasTransactionId)
    {
        hasTransactionId = datagram.Length >= StunMessage.HeaderLength;
        transactionId = hasTransactionId ? TransactionId.Read(datagram.Span[8..]) : default;
        if (!StunMessage.TryParse(datagram, out StunMessage message))
        {
            return Fault.Unparsable;
        }

        if (message.Type != StunMessageType.BindingSuccess)
        {
            return Fault.NotBindingSuccess;
        }

        if (message.HasFingerprint && !message.CheckFingerprint())
        {
            return Fault.BadFingerprint;
        }

        if (!message.TryGet(out XorMappedAddress mapped))
        {
            return Fault.NoXorMappedAddress;
        }

        return mapped.Address == expectedMapped ? null : Fault.WrongMappedAddress;
    }

    public static string Describe(Fault fault) => fault switch
    {
        Fault.Unparsable => "unparsable datagram",
        Fault.NotBindingSuccess => "not a Binding success response",
        Fault.BadFingerprint => "wrong FINGERPRINT",
        Fault.NoXorMappedAddress => "no XOR-MAPPED-ADDRESS",
        Fault.WrongMappedAddress => "XOR-MAPPED-ADDRESS is not the client's endpoint",
        Fault.UnknownTransaction => "unknown or duplicate transaction id",
        Fault.SendFailed => "client send failed",
        _ => fault.ToString(),
    };
}
