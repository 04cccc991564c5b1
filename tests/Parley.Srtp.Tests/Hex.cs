namespace Parley.Srtp.Tests;

internal static class Hex
{
    /// <summary>Bytes from hex digits as RFCs print them: spaces, line breaks and comments after '#' ignored.</summary>
    public static byte[] Parse(string text)
    {
        var digits = new System.Text.StringBuilder();
        foreach (string line in text.Split('\n'))
        {
            string data = line.Split('#')[0];
            foreach (char c in data)
            {
                if (Uri.IsHexDigit(c))
                {
                    digits.Append(c);
                }
            }
        }

        return Convert.FromHexString(digits.ToString());
    }
}
