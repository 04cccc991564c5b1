namespace Parley.Stun.Attributes;

/// <summary>
/// The class and number of ERROR-CODE (RFC 8489 §14.8) and ADDRESS-ERROR-CODE (RFC 8656 §18.12), which share the
/// last two bytes of their first word: 5 reserved bits, the hundreds digit in 3 bits, then the rest in 8 bits.
/// <code>
/// |  (attribute-specific)         |Reserved |Class|     Number    |
/// </code>
/// </summary>
internal static class ErrorCodeValue
{
    public const int MinCode = 300;
    public const int MaxCode = 699;

    public static int ThrowIfOutOfRange(int code, string paramName) => code is >= MinCode and <= MaxCode
        ? code
        : throw new ArgumentOutOfRangeException(paramName, code, "STUN error codes run from 300 to 699.");

    /// <summary>Reads the code from the two bytes holding class and number; the reserved bits are ignored.</summary>
    public static bool TryRead(ReadOnlySpan<byte> classAndNumber, out int code)
    {
        int @class = classAndNumber[0] & 0x07;
        int number = classAndNumber[1];
        bool ok = @class is >= 3 and <= 6 && number <= 99;
        code = ok ? @class * 100 + number : 0;
        return ok;
    }

    public static void Write(int code, Span<byte> classAndNumber)
    {
        classAndNumber[0] = (byte)(code / 100);
        classAndNumber[1] = (byte)(code % 100);
    }
}
