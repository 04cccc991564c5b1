using System.Net.Sockets;

namespace Parley.Sockets.Tests;

/// <summary>A sender whose answers are scripted (partial counts, errno values, a closed socket), standing in for
/// the kernel's; what it is said to have sent it hands to the real <see cref="SendToSender"/>, so that it arrives.</summary>
internal sealed class ScriptedSender(params Func<int, int, (int Sent, int Error)>[] script) : BatchSender
{
    private readonly SendToSender _real = new();
    private int _call;

    /// <summary>(first, count) of every call.</summary>
    public List<(int First, int Count)> Calls { get; } = [];

    public override int Send(Socket socket, SendBatch batch, int first, int count, out int error)
    {
        Calls.Add((first, count));
        (int sent, error) = _call < script.Length ? script[_call](first, count) : (count, 0);
        _call++;
        if (sent == int.MinValue)
        {
            throw new ObjectDisposedException(nameof(Socket));
        }

        if (sent > 0)
        {
            int really = _real.Send(socket, batch, first, sent, out _);
            Assert.Equal(sent, really);
        }

        return sent;
    }
}
