namespace Parley.Srtp.Tests;

public sealed class Rfc3711VectorTests
{
    private static readonly byte[] B3MasterKey = Hex.Parse("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] B3MasterSalt = Hex.Parse("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void The_b2_counter_mode_keystream_matches_at_its_start_and_end()
    {
        // B.2: session key, salt F0F1...FCFD (given already shifted), SSRC 0, ROC 0, SEQ 0; 65282 blocks.
        byte[] key = Hex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] salt = Hex.Parse("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        byte[] iv = new byte[16];
        AesCounterMode.WriteIv(salt, ssrc: 0, index: 0, iv);
        Assert.Equal(Hex.Parse("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), iv);

        byte[] keystream = new byte[1044512];
        using (var cipher = new AesCounterMode(key))
        {
            cipher.Apply(iv, keystream);
        }

        Assert.Equal(Hex.Parse("""
            E03EAD0935C95E80E166B16DD92B4EB4  # counter ...FCFD0000
            D23513162B02D0F72A43A2FE4A5F97AB  # counter ...FCFD0001
            41E95B3BB0A2E8DD477901E4FCA894C0  # counter ...FCFD0002
            """), keystream[..48]);
        Assert.Equal(Hex.Parse("""
            EC8CDF7398607CB0F2D21675EA9EA1E4  # counter ...FCFDFEFF
            362B7C3C6773516318A077D7FC5073AE  # counter ...FCFDFF00
            6A2CC3787889374FBEB4C81B17BA6C44  # counter ...FCFDFF01
            """), keystream[^48..]);
    }

    [Fact]
    public void The_counter_mode_iv_xors_the_ssrc_and_the_48_bit_index_into_the_salt()
    {
        byte[] iv = new byte[16];
        AesCounterMode.WriteIv(new byte[14], ssrc: 0x11223344, index: 0xAABB_CCDDEEFF, iv);
        Assert.Equal(Hex.Parse("00000000 11223344 AABBCCDD EEFF 0000"), iv);
    }

    [Fact]
    public void The_b3_session_keys_are_derived()
    {
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(SrtpProfile.Aes128CmHmacSha1_80, B3MasterKey, B3MasterSalt, rtcp: false);

        Assert.Equal(Hex.Parse("C61E7A93744F39EE10734AFE3FF7A087"), keys.EncryptionKey);
        Assert.Equal(Hex.Parse("30CBBC08863D8C85D49DB34A9AE1"), keys.Salt);
        Assert.Equal(Hex.Parse("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), keys.AuthenticationKey);
    }

    [Fact]
    public void The_b3_prf_output_matches_block_for_block_for_the_salt_and_the_94_byte_auth_key()
    {
        using var prf = System.Security.Cryptography.Aes.Create();
        prf.SetKey(B3MasterKey);
        byte[] salt = new byte[16];
        byte[] auth = new byte[94];
        SrtpKeyDerivation.Derive(prf, B3MasterSalt, SrtpKeyLabel.RtpSalt, salt);
        SrtpKeyDerivation.Derive(prf, B3MasterSalt, SrtpKeyLabel.RtpAuthentication, auth);

        Assert.Equal(Hex.Parse("30CBBC08863D8C85D49DB34A9AE17AC6"), salt);
        Assert.Equal(Hex.Parse("""
            CEBE321F6FF7716B6FD4AB49AF256A15  # input 0EC675AD498AFEEAB6960B3AABE60000
            6D38BAA48F0A0ACF3C34E2359E6CDBCE  # ...0001
            E049646C43D9327AD175578EF7227098  # ...0002
            6371C10C9A369AC2F94A8C5FBCDDDC25  # ...0003
            6D6E919A48B610EF17C2041E47403576  # ...0004
            6B68642C59BBFC2F34DB60DBDFB2      # ...0005
            """), auth);
    }

    [Fact]
    public void The_srtcp_keys_differ_from_the_srtp_keys_by_their_labels()
    {
        SrtpSessionKeys rtp = SrtpSessionKeys.Derive(SrtpProfile.Aes128CmHmacSha1_80, B3MasterKey, B3MasterSalt, rtcp: false);
        SrtpSessionKeys rtcp = SrtpSessionKeys.Derive(SrtpProfile.Aes128CmHmacSha1_80, B3MasterKey, B3MasterSalt, rtcp: true);

        using var prf = System.Security.Cryptography.Aes.Create();
        prf.SetKey(B3MasterKey);
        byte[] expected = new byte[16];
        SrtpKeyDerivation.Derive(prf, B3MasterSalt, SrtpKeyLabel.RtcpEncryption, expected);
        Assert.Equal(expected, rtcp.EncryptionKey);
        Assert.NotEqual(rtp.EncryptionKey, rtcp.EncryptionKey);
        Assert.NotEqual(rtp.AuthenticationKey, rtcp.AuthenticationKey);
        Assert.NotEqual(rtp.Salt, rtcp.Salt);
    }

    [Fact]
    public void The_gcm_kdf_takes_the_96_bit_salt_times_2_to_the_16_and_yields_a_12_byte_session_salt()
    {
        // RFC 7714 §11 with erratum 4938: the same PRF as AES-CM over the master salt with two zero bytes appended.
        byte[] gcmSalt = B3MasterSalt[..12];
        SrtpSessionKeys gcm = SrtpSessionKeys.Derive(SrtpProfile.AeadAes128Gcm, B3MasterKey, gcmSalt, rtcp: false);
        SrtpSessionKeys cm = SrtpSessionKeys.Derive(SrtpProfile.Aes128CmHmacSha1_80, B3MasterKey, [.. gcmSalt, 0, 0], rtcp: false);

        Assert.Equal(cm.EncryptionKey, gcm.EncryptionKey);
        Assert.Equal(cm.Salt[..12], gcm.Salt);
        Assert.Empty(gcm.AuthenticationKey);
    }
}
