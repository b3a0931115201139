/**
 * Importing this module registers every protocol dissector in the dissector tables
 * (core/dissect/context.ts). Order matters only where one module extends another's table.
 */
import './link-null';
import './ethernet';
import './linux-sll';
import './raw-ip';
import './ipv4';
import './ipv6';
import './arp';
import './icmp';
import './icmpv6';
import './igmp';
import './udp';
import './dns';
import './dhcp';
import './tcp/dissector';
import './http/consumer';
import './tls';
import './ssh';
import './media/index';
import './db-lsp-disc';
