namespace Parley.Srtp.Tests;

/// <summary>Master keys and salts from a fixed seed, of each profile's lengths.</summary>
internal static class TestKeys
{
    public static (byte[] Key, byte[] Salt) For(SrtpProfile profile, int seed = 7)
    {
        var random = new Random(seed);
        byte[] key = new byte[profile.MasterKeyLength];
        byte[] salt = new byte[profile.MasterSaltLength];
        random.NextBytes(key);
        random.NextBytes(salt);
        return (key, salt);
    }

    public static SrtpContext Context(SrtpProfile profile, int seed = 7)
    {
        (byte[] key, byte[] salt) = For(profile, seed);
        return new SrtpContext(profile, key, salt);
    }
}
