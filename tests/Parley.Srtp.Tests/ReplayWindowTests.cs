namespace Parley.Srtp.Tests;

public sealed class ReplayWindowTests
{
    [Fact]
    public void A_new_window_takes_anything_and_then_remembers_it()
    {
        var window = default(ReplayWindow);
        Assert.True(window.IsFresh(12345));
        window.Accept(12345);
        Assert.True(window.IsStarted);
        Assert.Equal(12345UL, window.Highest);
        Assert.False(window.IsFresh(12345));
        Assert.True(window.IsFresh(12344));
        Assert.True(window.IsFresh(12346));
    }

    [Fact]
    public void The_window_covers_the_63_indices_below_the_highest_and_slides_with_it()
    {
        var window = default(ReplayWindow);
        window.Accept(1000);
        Assert.True(window.IsFresh(1000 - 63));
        Assert.False(window.IsFresh(1000 - 64));

        window.Accept(1000 - 63);
        window.Accept(1010);
        Assert.False(window.IsFresh(1000));
        Assert.True(window.IsFresh(1001));
        Assert.False(window.IsFresh(1000 - 63)); // now too old, whatever its bit said

        window.Accept(5000); // a jump past the whole window forgets everything below it
        Assert.Equal(5000UL, window.Highest);
        Assert.True(window.IsFresh(4999));
        Assert.False(window.IsFresh(1010));
    }

    [Fact]
    public void An_index_accepted_below_the_highest_does_not_move_it()
    {
        var window = default(ReplayWindow);
        window.Accept(64);
        window.Accept(1);
        Assert.Equal(64UL, window.Highest);
        Assert.False(window.IsFresh(1));
        Assert.True(window.IsFresh(2));
    }
}
