namespace Mailroom.Policy.Milter;

/// <summary>One packet: its command or reply code and its data (without the length and code).</summary>
internal readonly record struct MilterPacket(byte Code, byte[] Data);
