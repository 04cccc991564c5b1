namespace Parley.Signaling;

/// <summary>What a joining client tells about itself, kept on its connection for the REST API.</summary>
internal sealed record ParticipantDetails(long Now, string? Ip, string? Platform, string ClientData);
