using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Mailroom.Net;

/// <summary>Every entry of the list is an IPv4 or IPv6 address (the protocol servers' <c>BindAddresses</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IPAddressListAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is not IEnumerable entries)
        {
            return ValidationResult.Success;
        }

        foreach (object? entry in entries)
        {
            if (entry is not string text || !IPAddress.TryParse(text, out _))
            {
                string[] members = validationContext.MemberName is { } member ? [member] : [];
                return new ValidationResult($"'{entry}' is not an IP address", members);
            }
        }

        return ValidationResult.Success;
    }
}
