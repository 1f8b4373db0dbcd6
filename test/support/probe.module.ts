import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';
import type { DataSource } from 'typeorm';
import { Public } from '../../src/auth/auth.decorators.js';
import { UsersModule } from '../../src/users/users.module.js';
import { UsersService } from '../../src/users/users.service.js';

class ProbeLineDto {
  @IsInt()
  @Min(1)
  @Max(20)
  quantity!: number;
}

class ProbeBodyDto {
  @IsEmail()
  email!: string;

  @IsString()
  @MinLength(2)
  name!: string;

  @ValidateNested({ each: true })
  @Type(() => ProbeLineDto)
  lines!: ProbeLineDto[];
}

/** Test-only routes that exercise the global request pipeline: validation, errors, slowness. */
@Public()
@Controller('probe')
class ProbeController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
  ) {}

  @Post('echo')
  echo(@Body() body: ProbeBodyDto): ProbeBodyDto {
    return body;
  }

  @Post('users')
  async createUser(@Body() body: { email: string }): Promise<{ id: string }> {
    const user = await this.users.create({
      email: body.email,
      name: 'Probe',
      role: 'customer',
      password: 'probe-password-1',
    });
    return { id: user.id };
  }

  @Get('crash')
  crash(): never {
    throw new Error('secret internal detail: password=hunter2');
  }

  @Get('bad-sql')
  async badSql(): Promise<unknown> {
    return this.dataSource.query('SELECT * FROM table_that_does_not_exist_xyz');
  }

  @Get('duplicate')
  async duplicate(): Promise<unknown> {
    await this.dataSource.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ('dup@x.io','a','customer','x')`,
    );
    return this.dataSource.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ('DUP@x.io','a','customer','x')`,
    );
  }

  @Get('slow')
  async slow(): Promise<{ done: true }> {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return { done: true };
  }
}

@Module({ imports: [UsersModule], controllers: [ProbeController] })
export class ProbeModule {}
