/** `wirelab -h` and `wirelab -v` texts. */

import pkg from '../../package.json';

/** The package version (package.json is bundled into the CLI by esbuild). */
export function version(): string {
  return pkg.version;
}

export function versionText(): string {
  return [
    `WireLab ${version()} (wirelab, tshark-compatible output for capture files).`,
    '',
    'A mini-Wireshark lab kit: pcap and pcapng reading, Ethernet, Linux cooked, BSD loopback,',
    'IPv4, IPv6, ARP, ICMP, UDP, DNS, TCP and HTTP/1.x dissection, display filters.',
    `Running on Node.js ${process.version} (${process.platform}-${process.arch}).`,
  ].join('\n');
}

export function usageText(): string {
  return `WireLab ${version()}
Dump and analyze capture files, the way tshark does.

Usage: wirelab [options] -r <infile>
       wirelab [options] -i <interface> [-f <capture filter>]
       wirelab lab [--visit] [--port N] [-w FILE]   (serve your profile page, capture and explain it)
       wirelab report -r FILE [-o DIR] [--lang zh-CN|en]   (lab report draft: Markdown, HTML, flow graph)

Input file:
  -r <infile>, --read-file <infile>
                           set the filename to read from (or '-' for stdin)

Capture interface:
  -i <interface>           name of interface to capture on (live capture)
  -f <capture filter>      packet filter in libpcap filter syntax
  -D, --list-interfaces    print list of interfaces and exit

Processing:
  -c <packet count>        stop after n packets (def: infinite)
  -Y <display filter>, --display-filter <display filter>
                           packet displaY filter in Wireshark display filter
                           syntax
  -n                       disable all name resolutions (always the case)
  -z lab                   after the packets, print the lab analysis: steps,
                           handshake and teardown frames, TCP states
  -z <statistics>          after the packets, print statistics as tshark does
                           (computed over every packet read, whatever -Y shows;
                           several -z print in reverse order, as tshark):
     conv,eth|ip|ipv6|tcp|udp[,filter]       conversations
     endpoints,eth|ip|ipv6|tcp|udp[,filter]  endpoints
     io,phs[,filter]                         protocol hierarchy
     expert[,error|warn|note|chat|comment][,filter]  expert information
     follow,tcp,ascii|hex|raw,N              TCP stream N's data (tcp.stream)
     io,stat,INTERVAL                        frames and bytes per INTERVAL seconds
                                             (0: the whole capture)

Output:
  --export-objects http,<destdir>
                           save the HTTP objects (bodies) into destdir, named as
                           tshark names them
  -w <outfile|->           write packets to a pcapng-format file named "outfile"
                           (or '-' for stdout)
  -P, --print              print packet summary even when writing to a file
  -V                       add output of packet tree        (Packet Details)
  -x                       add output of hex and ASCII dump (Packet Bytes)
  -T text|fields|json      format of text output (def: text)
  -e <field>               field to print if -Tfields selected (e.g. tcp.port,
                           _ws.col.Info)
                           this option can be repeated to print multiple fields
  -E<fieldsoption>=<value> set options for output when -Tfields selected:
     bom=y|n               print a UTF-8 BOM
     header=y|n            switch headers on and off
     separator=/t|/s|<char> select tab, space, printable character as separator
     occurrence=f|l|a      print first, last or all occurrences of each field
     aggregator=,|/s|<char> select comma, space, printable character as
                           aggregator
     quote=d|s|n           select double, single, no quotes for values
  -l                       flush standard output after each packet
  -q                       be more quiet on stdout
  --no-duplicate-keys      If -T json is specified, merge duplicate keys in an object
                           into a single key with as value a json array containing all
                           values

Miscellaneous:
  -h, --help               display this help and exit
  -v, --version            display version info and exit

Exit status: 0 ok; 1 bad usage or unknown field; 2 unreadable or damaged file,
or invalid display filter (as tshark 4.0).`;
}
