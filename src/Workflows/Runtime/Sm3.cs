using System.Buffers.Binary;
using System.Numerics;

namespace GovFlow.Workflows.Runtime;

/// <summary>
/// SM3 (GB/T 32905-2016) for the journal's short records, written from the standard for speed: one call hashes a
/// record with no allocation beyond its 32-byte result, where BouncyCastle's general digest allocated about 540
/// bytes of state per record (see JournalBenchmarks). Checked against the standard's test vectors and against
/// BouncyCastle on random inputs.
/// </summary>
public static class Sm3
{
    // The round constants rotated by their round number, computed once.
    private static readonly uint[] Tj = [.. Enumerable.Range(0, 64).Select(j => BitOperations.RotateLeft(j < 16 ? 0x79cc4519u : 0x7a879d8au, j))];

    /// <summary>The 32-byte SM3 digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        Span<uint> v = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
        Span<uint> w = stackalloc uint[68];
        var full = data.Length / 64;
        for (var i = 0; i < full; i++) Compress(v, data.Slice(i * 64, 64), w);

        // The tail: the rest of the data, 0x80, zeros, and the length in bits (big-endian), in one or two blocks.
        Span<byte> tail = stackalloc byte[128];
        tail.Clear();
        var rest = data[(full * 64)..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        var tailLength = rest.Length + 9 <= 64 ? 64 : 128;
        BinaryPrimitives.WriteUInt64BigEndian(tail[(tailLength - 8)..], (ulong)data.Length * 8);
        for (var offset = 0; offset < tailLength; offset += 64) Compress(v, tail.Slice(offset, 64), w);

        var digest = new byte[32];
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(i * 4), v[i]);
        return digest;
    }

    private static void Compress(Span<uint> v, ReadOnlySpan<byte> block, Span<uint> w)
    {
        for (var j = 0; j < 16; j++) w[j] = BinaryPrimitives.ReadUInt32BigEndian(block[(j * 4)..]);
        for (var j = 16; j < 68; j++)
            w[j] = P1(w[j - 16] ^ w[j - 9] ^ BitOperations.RotateLeft(w[j - 3], 15)) ^ BitOperations.RotateLeft(w[j - 13], 7) ^ w[j - 6];

        uint a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
        // Two loops rather than a test per round: the boolean functions and constants change at round 16.
        for (var j = 0; j < 16; j++)
        {
            var a12 = BitOperations.RotateLeft(a, 12);
            var ss1 = BitOperations.RotateLeft(a12 + e + Tj[j], 7);
            var tt1 = (a ^ b ^ c) + d + (ss1 ^ a12) + (w[j] ^ w[j + 4]);
            var tt2 = (e ^ f ^ g) + h + ss1 + w[j];
            d = c; c = BitOperations.RotateLeft(b, 9); b = a; a = tt1;
            h = g; g = BitOperations.RotateLeft(f, 19); f = e; e = P0(tt2);
        }
        for (var j = 16; j < 64; j++)
        {
            var a12 = BitOperations.RotateLeft(a, 12);
            var ss1 = BitOperations.RotateLeft(a12 + e + Tj[j], 7);
            var tt1 = ((a & b) | (a & c) | (b & c)) + d + (ss1 ^ a12) + (w[j] ^ w[j + 4]);
            var tt2 = ((e & f) | (~e & g)) + h + ss1 + w[j];
            d = c; c = BitOperations.RotateLeft(b, 9); b = a; a = tt1;
            h = g; g = BitOperations.RotateLeft(f, 19); f = e; e = P0(tt2);
        }
        v[0] ^= a; v[1] ^= b; v[2] ^= c; v[3] ^= d; v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= h;
    }

    private static uint P0(uint x) => x ^ BitOperations.RotateLeft(x, 9) ^ BitOperations.RotateLeft(x, 17);

    private static uint P1(uint x) => x ^ BitOperations.RotateLeft(x, 15) ^ BitOperations.RotateLeft(x, 23);
}
