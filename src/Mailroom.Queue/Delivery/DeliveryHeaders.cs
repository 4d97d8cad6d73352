using System.Text;
using Mailroom.Core;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// The header lines local delivery puts in front of the message, in Postfix's order: <c>Return-Path</c>
/// (RFC 5321 §4.4: the final delivery agent records the reverse path), <c>X-Original-To</c> (the address
/// as given in RCPT TO) and <c>Delivered-To</c> (the mailbox, used by Postfix and others to detect loops).
/// </summary>
internal static class DeliveryHeaders
{
    private const string ReturnPath = "Return-Path: <";
    private const string OriginalTo = ">\r\nX-Original-To: ";
    private const string DeliveredTo = "\r\nDelivered-To: ";
    private const string End = "\r\n";

    public static int MaxByteCount(string sender, EnvelopeRecipient recipient) =>
        Encoding.UTF8.GetMaxByteCount(ReturnPath.Length + sender.Length + OriginalTo.Length + recipient.OriginalAddress.Length
            + DeliveredTo.Length + recipient.Address.Length + End.Length);

    /// <summary>Writes the header lines into <paramref name="destination"/>; returns the byte count.</summary>
    public static int Write(string sender, EnvelopeRecipient recipient, Span<byte> destination)
    {
        int n = Encoding.ASCII.GetBytes(ReturnPath, destination);
        n += Encoding.UTF8.GetBytes(sender, destination[n..]);
        n += Encoding.ASCII.GetBytes(OriginalTo, destination[n..]);
        n += Encoding.UTF8.GetBytes(recipient.OriginalAddress, destination[n..]);
        n += Encoding.ASCII.GetBytes(DeliveredTo, destination[n..]);
        n += Encoding.UTF8.GetBytes(recipient.Address, destination[n..]);
        n += Encoding.ASCII.GetBytes(End, destination[n..]);
        return n;
    }
}
