namespace Parley.Stun;

/// <summary>One attribute of a parsed message: its type, where its header starts, and its unpadded value.</summary>
public readonly record struct StunAttribute(StunAttributeType Type, int Offset, ReadOnlyMemory<byte> Value);
