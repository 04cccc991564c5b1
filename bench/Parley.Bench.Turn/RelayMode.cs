namespace Parley.Bench.Turn;

/// <summary>How the clients' data travels between them and the TURN server (RFC 8656 §11, §12).</summary>
internal enum RelayMode
{
    /// <summary>ChannelData frames on a channel bound with ChannelBind (which also installs the permission).</summary>
    ChannelData,

    /// <summary>Send indications out and Data indications back, under a permission from CreatePermission.</summary>
    SendIndication,
}
