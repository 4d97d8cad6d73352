using System.Net;
using System.Net.NetworkInformation;

namespace Mailroom.Toolkit.Check;

/// <summary>
/// Whether the address a check connects from belongs to this machine. A mail server trusts its own host by default
/// (Mailroom's <c>Smtp:TrustedNetworks</c> and Postfix's <c>mynetworks</c> hold loopback), so relaying allowed from
/// here says nothing about what a stranger may do: the relay test cannot tell an open relay from a trusted client.
/// </summary>
internal static class LocalSource
{
    /// <returns>Why relaying from <paramref name="source"/> is probably trusted, or null when it is an outside address.</returns>
    public static string? WhyProbablyTrusted(IPAddress? source)
    {
        if (source is null)
        {
            return null;
        }

        if (source.IsIPv4MappedToIPv6)
        {
            source = source.MapToIPv4();
        }

        if (IPAddress.IsLoopback(source))
        {
            return $"the check connects from {source}, loopback, which mail servers trust by default (Smtp:TrustedNetworks, Postfix mynetworks): " +
                "this cannot tell an open relay from a trusted client; run the check from another machine, or add --untrusted-source if the server does not trust it";
        }

        return IsAddressOfThisHost(source)
            ? $"the check connects from {source}, an address of this machine, which the server may trust (Smtp:TrustedNetworks, Postfix mynetworks): " +
                "this cannot tell an open relay from a trusted client; run the check from another machine, or add --untrusted-source if the server does not trust it"
            : null;
    }

    private static bool IsAddressOfThisHost(IPAddress address)
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.Equals(address));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }
}
