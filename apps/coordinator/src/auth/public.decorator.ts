import { SetMetadata } from '@nestjs/common';

/** Metadata key marking a route that needs no bearer token. */
export const IS_PUBLIC = 'crosscheck:public';

/** Marks a controller or route as open to anyone (health only): everything else needs the token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
