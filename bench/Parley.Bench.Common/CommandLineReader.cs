using System.Globalization;

namespace Parley.Bench.Common;

/// <summary>
/// Walks a command line option by option; an option's value is read from the argument after it. A missing or bad
/// value is a <see cref="BenchmarkException"/> that names the option.
/// </summary>
public sealed class CommandLineReader(IReadOnlyList<string> args)
{
    private int _index = -1;

    /// <summary>The option at hand.</summary>
    public string Option => args[_index];

    /// <summary>Moves to the next option; false at the end.</summary>
    public bool MoveNext() => ++_index < args.Count;

    /// <summary>The option's value.</summary>
    public string ReadValue()
    {
        if (_index + 1 >= args.Count)
        {
            throw new BenchmarkException($"{Option} needs a value (see --help)");
        }

        return args[++_index];
    }

    /// <summary>The option's value, a number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public double ReadNumber(double min, double max)
    {
        string option = Option;
        string value = ReadValue();
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            || number < min || number > max)
        {
            throw new BenchmarkException($"{option} takes a number from {min} to {max}, not '{value}'");
        }

        return number;
    }

    /// <summary>The option's value as a count: a number in the range, fractions dropped.</summary>
    public int ReadCount(int min, int max) => (int)ReadNumber(min, max);

    /// <summary>The failure for an option that nobody knows.</summary>
    public BenchmarkException Unknown() => new($"unknown option '{Option}' (see --help)");
}
