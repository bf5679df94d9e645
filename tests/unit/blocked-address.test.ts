import { describe, expect, it } from 'vitest';
import { isBlockedAddress } from '../../src/news/safe-fetch.ts';

describe('isBlockedAddress refuses every non-public IPv4 range', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network 0/8'],
    ['10.0.0.1', 'private 10/8'],
    ['10.255.255.255', 'private 10/8 top'],
    ['100.64.0.1', 'CGNAT bottom'],
    ['100.127.255.254', 'CGNAT top'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback top'],
    ['169.254.169.254', 'link-local metadata'],
    ['172.16.0.1', 'private 172.16/12 bottom'],
    ['172.31.255.255', 'private 172.16/12 top'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.10', 'documentation'],
    ['192.168.1.1', 'private 192.168/16'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast top'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
  ])('%s (%s)', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });
});

describe('isBlockedAddress allows public IPv4 right next to the blocked ranges', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '93.184.216.34',
  ])('%s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });
});

describe('isBlockedAddress refuses IPv6 forms of local and private destinations', () => {
  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback, long form'],
    ['[::1]', 'loopback in URL brackets'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with zone id'],
    ['febf:ffff::1', 'link-local top'],
    ['fec0::1', 'site-local (deprecated)'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fd12:3456:789a::1', 'unique local fd'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast site'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['::FFFF:7F00:0001', 'IPv4-mapped loopback, upper case'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata address, hex'],
    ['0:0:0:0:0:ffff:192.168.0.1', 'IPv4-mapped private, long form'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated loopback'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::8.8.8.8', 'IPv4-compatible (deprecated, never public)'],
    ['::7f00:1', 'IPv4-compatible loopback, hex'],
    ['64:ff9b::127.0.0.1', 'NAT64 of loopback'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b::c0a8:101', 'NAT64 of 192.168.1.1'],
    ['64:ff9b:1::808:808', 'local-use NAT64 prefix'],
    ['2002:7f00:1::1', '6to4 of loopback'],
    ['2002:a00:1::', '6to4 of 10.0.0.1'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['2001::1', 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo, full'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'discard-only'],
  ])('%s (%s)', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });
});

describe('isBlockedAddress allows public IPv6 and public IPv4 carried in IPv6', () => {
  it.each([
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });
});

describe('isBlockedAddress fails closed', () => {
  it.each([
    '',
    'localhost',
    'example.com',
    '127.1',
    '2130706433',
    '0x7f.0.0.1',
    '1.2.3.4.5',
    '256.0.0.1',
    ':::1',
    'gg::1',
  ])('refuses %j, which is not a plain IP address', (text) => {
    expect(isBlockedAddress(text)).toBe(true);
  });
});
