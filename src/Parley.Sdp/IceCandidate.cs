using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// An ICE candidate (RFC 8839 §5.1), as an <c>a=candidate</c> attribute or as the <c>candidate:...</c> string of a
/// trickled RTCIceCandidate (RFC 8840 §4):
/// <code>
/// candidate:&lt;foundation&gt; &lt;component-id&gt; &lt;transport&gt; &lt;priority&gt; &lt;connection-address&gt; &lt;port&gt;
///     typ &lt;host|srflx|prflx|relay&gt; [raddr &lt;address&gt;] [rport &lt;port&gt;] *(&lt;extension-name&gt; &lt;extension-value&gt;)
/// </code>
/// The transport is kept as written (browsers write <c>udp</c>, the RFC <c>UDP</c>) and the extensions in their order,
/// so a parsed candidate is written back identically.
/// </summary>
public sealed class IceCandidate : ISdpAttribute<IceCandidate>, IEquatable<IceCandidate>
{
    public IceCandidate(string foundation, int component, IceProtocol protocol, uint priority, string address, int port,
        IceCandidateType type, string? relatedAddress = null, int? relatedPort = null, IEnumerable<IceCandidateExtension>? extensions = null)
        : this(foundation, component, protocol == IceProtocol.Udp ? "UDP" : "TCP", priority, address, port, type, relatedAddress,
            relatedPort, extensions)
    {
    }

    private IceCandidate(string foundation, int component, string transport, uint priority, string address, int port,
        IceCandidateType type, string? relatedAddress, int? relatedPort, IEnumerable<IceCandidateExtension>? extensions)
    {
        Foundation = IsFoundation(foundation) ? foundation : throw new ArgumentException($"'{foundation}' is not a foundation.", nameof(foundation));
        Component = SdpGrammar.RequireRange(component, 1, 256, nameof(component));
        Transport = transport;
        Priority = priority;
        Address = SdpGrammar.RequireNonWhitespace(address, nameof(address));
        Port = SdpGrammar.RequireRange(port, 0, 65535, nameof(port));
        Type = type;
        RelatedAddress = relatedAddress is null ? null : SdpGrammar.RequireNonWhitespace(relatedAddress, nameof(relatedAddress));
        RelatedPort = relatedPort is null ? null : SdpGrammar.RequireRange(relatedPort.Value, 0, 65535, nameof(relatedPort));
        Extensions = [.. extensions ?? []];
    }

    public static string AttributeName => "candidate";

    /// <summary>1 to 32 ice-chars; candidates of the same type, base and server share it.</summary>
    public string Foundation { get; }

    /// <summary>1 for RTP, 2 for RTCP when it is not multiplexed.</summary>
    public int Component { get; }

    /// <summary>The transport as written: <c>udp</c>, <c>UDP</c>, <c>tcp</c>, or an extension token.</summary>
    public string Transport { get; }

    /// <summary>UDP or TCP, read ignoring case; null for a transport this library does not know.</summary>
    public IceProtocol? Protocol =>
        string.Equals(Transport, "udp", StringComparison.OrdinalIgnoreCase) ? IceProtocol.Udp
        : string.Equals(Transport, "tcp", StringComparison.OrdinalIgnoreCase) ? IceProtocol.Tcp
        : null;

    public uint Priority { get; }

    /// <summary>An IPv4 or IPv6 address, or a name such as an mDNS <c>.local</c> name (RFC 8839 §5.1).</summary>
    public string Address { get; }

    public int Port { get; }

    public IceCandidateType Type { get; }

    public string? RelatedAddress { get; }

    public int? RelatedPort { get; }

    public IReadOnlyList<IceCandidateExtension> Extensions { get; }

    public IceTcpType? TcpType =>
        IceTcpTypeExtensions.TryParseIceTcpType(GetExtension(IceCandidateExtension.TcpType), out IceTcpType type) ? type : null;

    /// <summary>The <c>ufrag</c> extension browsers add to trickled candidates.</summary>
    public string? UsernameFragment => GetExtension(IceCandidateExtension.UsernameFragment);

    public int? Generation => GetIntExtension(IceCandidateExtension.Generation);

    public int? NetworkId => GetIntExtension(IceCandidateExtension.NetworkId);

    public int? NetworkCost => GetIntExtension(IceCandidateExtension.NetworkCost);

    /// <summary>The priority formula of RFC 8445 §5.1.2.1, with the recommended type preferences.</summary>
    public static uint ComputePriority(IceCandidateType type, int localPreference, int component) =>
        ((uint)type.TypePreference() << 24)
        | ((uint)SdpGrammar.RequireRange(localPreference, 0, 65535, nameof(localPreference)) << 8)
        | (uint)(256 - SdpGrammar.RequireRange(component, 1, 256, nameof(component)));

    /// <summary>The value of the first extension with this name, or null.</summary>
    public string? GetExtension(string name) => Extensions.FirstOrDefault(e => e.Name == name)?.Value;

    /// <summary>The same candidate with an extension pair added at the end (or its value replaced where it is).</summary>
    public IceCandidate WithExtension(string name, string value)
    {
        var extensions = Extensions.ToList();
        int at = extensions.FindIndex(e => e.Name == name);
        if (at >= 0)
        {
            extensions[at] = new IceCandidateExtension(name, value);
        }
        else
        {
            extensions.Add(new IceCandidateExtension(name, value));
        }

        return new IceCandidate(Foundation, Component, Transport, Priority, Address, Port, Type, RelatedAddress, RelatedPort, extensions);
    }

    /// <summary>
    /// Parses the candidate string of a trickled candidate (<c>candidate:...</c>; an <c>a=</c> in front is tolerated).
    /// The empty string is the end-of-candidates indication (RFC 8840 §4.4): it parses, and the candidate is null.
    /// </summary>
    public static bool TryParse(string? text, out IceCandidate? candidate)
    {
        candidate = null;
        if (text is null)
        {
            return false;
        }

        if (text.Length == 0)
        {
            return true;
        }

        string value = text.StartsWith("a=", StringComparison.Ordinal) ? text[2..] : text;
        return value.StartsWith("candidate:", StringComparison.Ordinal) && TryParseValue(value["candidate:".Length..], out candidate);
    }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out IceCandidate? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] f) || f.Length < 8
            || !IsFoundation(f[0])
            || !SdpGrammar.TryParseInt(f[1], 1, 256, out int component)
            || !SdpGrammar.IsToken(f[2])
            || !SdpGrammar.TryParseUInt32(f[3], out uint priority)
            || !SdpGrammar.IsNonWhitespace(f[4])
            || !SdpGrammar.TryParsePort(f[5], out int port)
            || f[6] != "typ"
            || !IceCandidateTypeExtensions.TryParseIceCandidateType(f[7], out IceCandidateType type))
        {
            return false;
        }

        int at = 8;
        string? relatedAddress = null;
        int? relatedPort = null;
        if (at + 1 < f.Length && f[at] == "raddr")
        {
            if (!SdpGrammar.IsNonWhitespace(f[at + 1]))
            {
                return false;
            }

            relatedAddress = f[at + 1];
            at += 2;
        }

        if (at + 1 < f.Length && f[at] == "rport")
        {
            if (!SdpGrammar.TryParsePort(f[at + 1], out int rport))
            {
                return false;
            }

            relatedPort = rport;
            at += 2;
        }

        if ((f.Length - at) % 2 != 0)
        {
            return false;
        }

        var extensions = new List<IceCandidateExtension>((f.Length - at) / 2);
        for (; at < f.Length; at += 2)
        {
            if (!SdpGrammar.IsToken(f[at]) || !SdpGrammar.IsNonWhitespace(f[at + 1]))
            {
                return false;
            }

            extensions.Add(new IceCandidateExtension(f[at], f[at + 1]));
        }

        attribute = new IceCandidate(f[0], component, f[2], priority, f[4], port, type, relatedAddress, relatedPort, extensions);
        return true;
    }

    public string FormatValue()
    {
        var text = new System.Text.StringBuilder();
        text.Append(Foundation).Append(' ').Append(SdpGrammar.Format(Component)).Append(' ').Append(Transport)
            .Append(' ').Append(SdpGrammar.Format(Priority)).Append(' ').Append(Address).Append(' ').Append(SdpGrammar.Format(Port))
            .Append(" typ ").Append(Type.ToSdpString());
        if (RelatedAddress is not null)
        {
            text.Append(" raddr ").Append(RelatedAddress);
        }

        if (RelatedPort is int relatedPort)
        {
            text.Append(" rport ").Append(SdpGrammar.Format(relatedPort));
        }

        foreach (IceCandidateExtension extension in Extensions)
        {
            text.Append(' ').Append(extension.Name).Append(' ').Append(extension.Value);
        }

        return text.ToString();
    }

    /// <summary>The trickle form: <c>candidate:</c> and the attribute value.</summary>
    public override string ToString() => "candidate:" + FormatValue();

    public bool Equals(IceCandidate? other) => other is not null && FormatValue() == other.FormatValue();

    public override bool Equals(object? obj) => Equals(obj as IceCandidate);

    public override int GetHashCode() => FormatValue().GetHashCode(StringComparison.Ordinal);

    private static bool IsFoundation(string text) => text.Length <= 32 && SdpGrammar.IsIceChars(text);

    private int? GetIntExtension(string name) =>
        GetExtension(name) is string value && SdpGrammar.TryParseInt(value, 0, int.MaxValue, out int number) ? number : null;
}
