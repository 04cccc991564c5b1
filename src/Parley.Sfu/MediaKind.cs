namespace Parley.Sfu;

/// <summary>What a track carries.</summary>
public enum MediaKind : byte
{
    Audio,
    Video,
}
