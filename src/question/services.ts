/**
 * Well-known service names → transport protocol and port, for questions such as
 * "ssh from 10.0.2.100 to 10.0.1.50" or "can A reach B over https". Pure data; the lookup
 * table is built once at module load.
 *
 * `name` is the canonical name that ends up in Question.service; `aliases` are the other
 * spellings a user may type (lower-case; a two-word alias such as "kubernetes api" is
 * matched against two consecutive words). Services with no conventional port (grpc) are
 * deliberately absent: the parser then asks "Which port?".
 */
export interface ServiceDef {
  readonly name: string;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly aliases: readonly string[];
}

const def = (name: string, protocol: 'tcp' | 'udp', port: number, aliases: readonly string[] = []): ServiceDef =>
  Object.freeze({ name, protocol, port, aliases: Object.freeze([...aliases]) });

export const SERVICES: readonly ServiceDef[] = Object.freeze([
  def('ssh', 'tcp', 22),
  def('telnet', 'tcp', 23),
  def('smtp', 'tcp', 25),
  def('dns', 'udp', 53),
  def('http', 'tcp', 80),
  def('https', 'tcp', 443),
  def('ntp', 'udp', 123),
  def('ldap', 'tcp', 389),
  def('ldaps', 'tcp', 636),
  def('smb', 'tcp', 445),
  def('mysql', 'tcp', 3306, ['mariadb', 'aurora']),
  def('postgres', 'tcp', 5432, ['postgresql', 'psql']),
  def('redis', 'tcp', 6379),
  def('memcached', 'tcp', 11211),
  def('mongodb', 'tcp', 27017, ['mongo']),
  def('rdp', 'tcp', 3389),
  def('kafka', 'tcp', 9092),
  def('elasticsearch', 'tcp', 9200, ['opensearch']),
  def('rabbitmq', 'tcp', 5672, ['amqp']),
  def('nfs', 'tcp', 2049, ['efs']),
  def('mssql', 'tcp', 1433, ['sqlserver', 'sql server']),
  def('oracle', 'tcp', 1521),
  def('kubernetes-api', 'tcp', 6443, ['kubernetes api', 'kubernetes', 'k8s api', 'k8s', 'kube-apiserver']),
  def('etcd', 'tcp', 2379),
  def('zookeeper', 'tcp', 2181),
  def('cassandra', 'tcp', 9042),
  def('smtps', 'tcp', 465),
  def('submission', 'tcp', 587),
  def('imap', 'tcp', 143),
  def('imaps', 'tcp', 993),
  def('pop3', 'tcp', 110),
  def('snmp', 'udp', 161),
  def('syslog', 'udp', 514),
  def('radius', 'udp', 1812),
  def('openvpn', 'udp', 1194),
  def('wireguard', 'udp', 51820),
  def('statsd', 'udp', 8125),
  def('http-alt', 'tcp', 8080),
  def('prometheus', 'tcp', 9090),
  def('node-exporter', 'tcp', 9100, ['node exporter', 'node_exporter']),
  def('consul', 'tcp', 8500),
  def('vault', 'tcp', 8200),
]);

const BY_NAME: ReadonlyMap<string, ServiceDef> = (() => {
  const m = new Map<string, ServiceDef>();
  for (const s of SERVICES) {
    for (const key of [s.name, ...s.aliases]) {
      if (m.has(key)) throw new Error(`services.ts: duplicate service key ${key}`); // programming error, at load
      m.set(key, s);
    }
  }
  return m;
})();

/** The service a word (or two words joined by one space) names, or undefined. Case-insensitive. */
export function lookupService(word: string): ServiceDef | undefined {
  return BY_NAME.get(word.toLowerCase());
}
