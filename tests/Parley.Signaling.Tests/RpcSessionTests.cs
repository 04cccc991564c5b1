using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

/// <summary>An RPC session keeps frames, in order, across the sockets of its client.</summary>
public sealed class RpcSessionTests
{
    /// <summary>A socket that takes up to <paramref name="capacity"/> frames, then behaves as a client that stopped reading.</summary>
    private sealed class FakeSink(int capacity = int.MaxValue) : IFrameSink
    {
        private readonly List<byte[]> _unsent = [];
        private readonly TaskCompletionSource _completion = new();

        public List<byte> Written { get; } = [];

        public Task Completion => _completion.Task;

        public bool TrySend(byte[] frame)
        {
            if (_completion.Task.IsCompleted)
            {
                return false;
            }

            if (Written.Count + _unsent.Count >= capacity)
            {
                Abort();
                return false;
            }

            if (capacity == int.MaxValue)
            {
                Written.Add(frame[0]);
            }
            else
            {
                _unsent.Add(frame); // queued, never written
            }

            return true;
        }

        public IReadOnlyList<byte[]> TakeUnsent()
        {
            byte[][] unsent = [.. _unsent];
            _unsent.Clear();
            return unsent;
        }

        public void Abort() => _completion.TrySetResult();
    }

    private static byte[] Frame(int n) => [(byte)n];

    [Fact]
    public async Task Frames_sent_while_away_and_those_a_dead_socket_never_wrote_arrive_in_order_on_the_next_socket()
    {
        var session = new RpcSession("id", now: 0);
        var stuck = new FakeSink(capacity: 3);
        await session.AttachAsync(stuck, now: 0);
        for (int n = 0; n < 5; n++)
        {
            session.Send(Frame(n)); // 0-2 queued on the stuck socket, which then gives up; 3-4 parked
        }

        Assert.True(session.Detach(stuck, now: 10));
        session.Send(Frame(5));

        var fresh = new FakeSink();
        await session.AttachAsync(fresh, now: 20);
        session.Send(Frame(6));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], fresh.Written);
        Assert.Null(session.DetachedAt);
    }

    [Fact]
    public async Task Taking_over_a_live_socket_closes_it_and_keeps_its_queue()
    {
        var session = new RpcSession("id", now: 0);
        var old = new FakeSink(capacity: 100);
        await session.AttachAsync(old, now: 0);
        session.Send(Frame(1));
        session.Send(Frame(2));
        var fresh = new FakeSink();
        await session.AttachAsync(fresh, now: 5);
        Assert.True(old.Completion.IsCompleted);
        Assert.False(session.Detach(old, now: 6)); // the old socket's end no longer detaches the session
        session.Send(Frame(3));
        Assert.Equal([1, 2, 3], fresh.Written);
    }

    [Fact]
    public void A_client_away_with_too_much_piled_up_is_marked_overflowed()
    {
        var session = new RpcSession("id", now: 0);
        for (int n = 0; n < RpcSession.MaxParkedFrames; n++)
        {
            session.Send(Frame(n));
        }

        Assert.False(session.Overflowed);
        session.Send(Frame(0));
        Assert.True(session.Overflowed);
    }
}
