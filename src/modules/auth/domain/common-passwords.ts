/**
 * Passwords and password stems that attackers try first, French ones included. Sources: the
 * public "most common passwords" rankings (NordPass, SplashData, NCSC 100k list) and the French
 * lists published with them (azerty, soleil, doudou, marseille, first names, football clubs,
 * "jetaime"…). An entry is compared after normalisation (lower case, no accents, digits and
 * punctuation stripped at both ends), so "azerty" also catches "Azerty123!" and "AZERTY2024".
 * Add entries freely, one per line.
 */
export const COMMON_PASSWORDS: readonly string[] = [
  // keyboard walks and sequences
  'azerty', 'azertyuiop', 'azertyu', 'azertyui', 'azertyuio', 'azer', 'azert', 'qwerty', 'qwertyuiop', 'qwertz',
  'qwertzuiop', 'asdfgh', 'asdfghjkl', 'qsdfgh', 'qsdfghjklm', 'wxcvbn', 'wxcvbnm', 'zxcvbn', 'zxcvbnm', 'azeqsd',
  'azerqsdf', 'aqwzsx', 'qazwsx', 'qwerasdf', '1qaz2wsx', 'zaq1xsw2', 'poiuytreza', 'mlkjhgfdsq', 'abcdef', 'abcdefg',
  'abcdefgh', 'abcdefghij', 'abcabc', 'abc', 'aaaaaa', 'azeaze', 'qweqwe', 'asdasd', 'qwe', 'aze',
  '123456', '1234567', '12345678', '123456789', '1234567890', '0123456789', '111111', '000000', '654321', '987654321',
  '123123', '121212', '112233', '123321', '147258369', '159753', '789456123', '741852963', '1q2w3e4r', '1q2w3e4r5t',
  'a1b2c3', 'a1b2c3d4', 'abc123', 'azerty123', 'qwerty123',
  // "password" in several languages
  'motdepasse', 'motdepass', 'mdp', 'mot2passe', 'passe', 'password', 'passwort', 'passw0rd', 'pass', 'passpass',
  'contrasena', 'parola', 'wachtwoord', 'senha', 'secret', 'secrete', 'confidentiel', 'admin', 'administrateur', 'administrator',
  'root', 'toor', 'user', 'utilisateur', 'login', 'connexion', 'bienvenue', 'welcome', 'changeme', 'changezmoi',
  'default', 'defaut', 'test', 'testtest', 'essai', 'demo', 'guest', 'invite', 'master', 'access',
  'nouveau', 'nouveaumotdepasse', 'temporaire', 'provisoire', 'inconnu', 'rien', 'aucun', 'personne', 'moi', 'moimeme',
  // affection and everyday French words
  'soleil', 'doudou', 'loulou', 'chouchou', 'cheri', 'cherie', 'moncheri', 'macherie', 'jetaime', 'jetadore',
  'jtm', 'teamo', 'iloveyou', 'love', 'lovelove', 'amour', 'monamour', 'mamour', 'bisous', 'bisou',
  'coucou', 'bonjour', 'bonsoir', 'salut', 'hello', 'merci', 'toto', 'titi', 'tata', 'tutu',
  'nounours', 'nounou', 'doudoune', 'bebe', 'bebou', 'poupette', 'puce', 'mapuce', 'chaton', 'minou',
  'minette', 'chouquette', 'biquette', 'cocotte', 'cacahuete', 'choupette', 'pupuce', 'papa', 'maman',
  'mamie', 'papi', 'papy', 'famille', 'enfants', 'lesenfants', 'bonheur', 'liberte', 'princesse', 'prince',
  'chocolat', 'vanille', 'caramel', 'fraise', 'framboise', 'cerise', 'pomme', 'banane', 'citron', 'orange',
  'coquelicot', 'marguerite', 'papillon', 'hirondelle', 'etoile', 'lune', 'nuage', 'ocean', 'plage',
  'vacances', 'ete', 'hiver', 'printemps', 'automne', 'noel', 'musique', 'football', 'foot', 'tennis',
  'rugby', 'basket', 'cheval', 'chien', 'chat', 'lapin', 'tigre', 'lion', 'dragon', 'loup',
  'pantoufle', 'patate', 'tartiflette', 'fromage', 'baguette', 'croissant', 'champagne', 'pastis', 'ricard',
  // cities, regions, clubs
  'marseille', 'paris', 'lyon', 'toulouse', 'bordeaux', 'nantes', 'lille', 'nice', 'strasbourg', 'montpellier',
  'rennes', 'reims', 'brest', 'lens', 'metz', 'nancy', 'rouen', 'toulon', 'grenoble', 'dijon',
  'france', 'bretagne', 'corse', 'alsace', 'normandie', 'provence', 'reunion', 'lareunion', 'martinique', 'guadeloupe',
  'guyane', 'mayotte', 'om', 'olympiquedemarseille', 'allezlom', 'psg', 'parissaintgermain', 'asse', 'ol', 'losc',
  // first names (the most used as passwords in France)
  'nicolas', 'julien', 'thomas', 'alexandre', 'kevin', 'anthony', 'maxime', 'sebastien', 'guillaume', 'romain',
  'jeremy', 'florian', 'olivier', 'christophe', 'stephane', 'laurent', 'pierre', 'jean', 'michel', 'philippe',
  'david', 'daniel', 'patrick', 'frederic', 'francois', 'vincent', 'antoine', 'benjamin', 'lucas', 'hugo',
  'louis', 'gabriel', 'arthur', 'jules', 'enzo', 'nathan', 'theo', 'mathis', 'raphael', 'adam',
  'camille', 'marie', 'julie', 'sophie', 'nathalie', 'isabelle', 'sandrine', 'celine', 'aurelie', 'stephanie',
  'emilie', 'laura', 'sarah', 'manon', 'pauline', 'marine', 'elodie', 'melanie', 'caroline', 'claire',
  'chloe', 'emma', 'lea', 'ines', 'jade', 'louise', 'alice', 'lina', 'clara', 'juliette',
  'anais', 'oceane', 'mathilde', 'charlotte', 'lucie', 'valerie', 'sylvie', 'christine', 'catherine', 'martine',
  'mohamed', 'karim', 'sofiane', 'yanis', 'rayan', 'amine', 'mehdi', 'nadia', 'fatima', 'yasmine',
  // international top lists
  'princess', 'sunshine', 'shadow', 'monkey', 'letmein', 'trustno1', 'baseball', 'superman', 'batman',
  'starwars', 'pokemon', 'naruto', 'michael', 'jordan', 'charlie', 'freedom', 'whatever', 'computer', 'internet',
  'ninja', 'mustang', 'killer', 'hunter', 'ranger', 'buster', 'soccer', 'hockey', 'harley', 'pepper',
  'ginger', 'summer', 'winter', 'flower', 'cookie', 'matrix', 'samsung', 'apple', 'google', 'facebook',
  'azertyazerty', 'blabla', 'blablabla', 'lol', 'mdr', 'ptdr', 'kikou', 'boubou', 'bibi', 'fifi',
  'nono', 'lolo', 'jojo', 'juju', 'mimi', 'nini', 'zizou', 'zidane', 'mbappe', 'ronaldo',
  'messi', 'neymar', 'griezmann', 'benzema', 'barcelona', 'realmadrid', 'chelsea', 'liverpool', 'arsenal', 'juventus',
  // public services and this product
  'creneau', 'rendezvous', 'rdv', 'rdvsolidarites', 'solidarites', 'departement', 'mairie', 'caf', 'pmi', 'rsa',
  'social', 'servicesocial', 'franceservices', 'secu', 'ameli', 'travail', 'bureau', 'agent', 'accueil', 'secretariat',
];
