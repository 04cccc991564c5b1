using System.Globalization;
using System.Text;

namespace Parley.Stun;

/// <summary>
/// SASLprep (RFC 4013, the stringprep profile RFC 5389 prescribes for STUN user names, realms and passwords):
/// non-ASCII spaces become U+0020, characters "commonly mapped to nothing" are removed, the result is normalised to
/// NFKC, and prohibited characters (controls, private use, non-characters, surrogates, tagging and
/// display-changing characters) make the string invalid. RFC 8489 replaced SASLprep with the PRECIS OpaqueString
/// profile, which gives the same result for ASCII and for every string that is already in NFKC; SASLprep is kept
/// because RFC 5769's long-term vector depends on its NFKC step ("TheMªtrⅨ" prepares to "TheMatrIX"), and coturn
/// and the browsers' TURN clients send already-prepared ASCII. Not implemented: the bidirectional-text rule
/// (RFC 3454 §6), which only rejects strings mixing right-to-left and left-to-right letters, and the list of
/// unassigned code points, which RFC 4013 allows in queries.
/// </summary>
public static class SaslPrep
{
    /// <summary>Prepares a string; false when it contains a prohibited character.</summary>
    public static bool TryPrepare(string input, out string prepared)
    {
        if (IsPlainAscii(input))
        {
            prepared = input; // printable ASCII is unchanged by every step
            return true;
        }

        var mapped = new StringBuilder(input.Length);
        foreach (Rune rune in input.EnumerateRunes())
        {
            if (IsMappedToNothing(rune.Value))
            {
                continue;
            }

            if (rune.Value != ' ' && Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator)
            {
                mapped.Append(' ');
            }
            else
            {
                mapped.Append(rune.ToString());
            }
        }

        string normalised;
        try
        {
            normalised = mapped.ToString().Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            prepared = string.Empty; // an unpaired surrogate (RFC 3454 C.5)
            return false;
        }

        foreach (Rune rune in normalised.EnumerateRunes())
        {
            if (IsProhibited(rune.Value))
            {
                prepared = string.Empty;
                return false;
            }
        }

        prepared = normalised;
        return true;
    }

    /// <summary>Prepares a string, throwing <see cref="ArgumentException"/> when it is not allowed.</summary>
    public static string Prepare(string input) =>
        TryPrepare(input, out string prepared)
            ? prepared
            : throw new ArgumentException("The string contains characters SASLprep prohibits.", nameof(input));

    private static bool IsPlainAscii(string input)
    {
        foreach (char c in input)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 3454 table B.1.</summary>
    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or 0x180B or 0x180C or 0x180D or 0x200B or 0x200C or 0x200D or 0x2060 or 0xFEFF
        || c is >= 0xFE00 and <= 0xFE0F;

    /// <summary>RFC 4013 §2.3: tables C.1.2 (mapped already), C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9.</summary>
    private static bool IsProhibited(int c) =>
        c is < 0x20 or 0x7F                                                              // C.2.1
        || c is >= 0x80 and <= 0x9F                                                      // C.2.2
        || c is 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
        || c is >= 0x2060 and <= 0x2063 || c is >= 0x206A and <= 0x206F || c == 0xFEFF
        || c is >= 0xFFF9 and <= 0xFFFD || c is >= 0x1D173 and <= 0x1D17A              // C.2.2, C.6
        || c is >= 0xE000 and <= 0xF8FF || c is >= 0xF0000 and <= 0xFFFFD
        || c is >= 0x100000 and <= 0x10FFFD                                              // C.3
        || c is >= 0xFDD0 and <= 0xFDEF || (c & 0xFFFE) == 0xFFFE                       // C.4
        || c is >= 0xD800 and <= 0xDFFF                                                  // C.5
        || c is >= 0x2FF0 and <= 0x2FFB                                                  // C.7
        || c is 0x0340 or 0x0341 or 0x200E or 0x200F || c is >= 0x202A and <= 0x202E     // C.8
        || c == 0xE0001 || c is >= 0xE0020 and <= 0xE007F;                               // C.9
}
